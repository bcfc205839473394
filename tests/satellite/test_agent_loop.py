"""The whole product in one turn.

Satellite -> Home Assistant -> our STT -> the hybrid_voice agent (with the local model
server running) -> our TTS -> the satellite's speaker.
"""

from __future__ import annotations

from pathlib import Path

from homeassistant.components import assist_pipeline
from homeassistant.components.assist_pipeline.pipeline import (
    KEY_ASSIST_PIPELINE,
    async_get_pipeline,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from tests.agent.conftest import async_add_agent, llm_url  # noqa: F401 (fixture)
from tests.servers import running_server

from .home import LIGHT, add_wyoming, wait_until, wav_frames


async def test_spoken_command_through_the_hybrid_voice_agent(
    hass: HomeAssistant,
    voice_pipeline: None,
    llm_url: str,  # noqa: F811
    wake_command: Path,
    tmp_path: Path,
) -> None:
    agent_entry = await async_add_agent(hass, llm_url)
    agent = next(
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), agent_entry.entry_id)
        if e.domain == "conversation"
    )
    await assist_pipeline.async_update_pipeline(
        hass, async_get_pipeline(hass), conversation_engine=agent
    )
    reply = tmp_path / "reply.wav"
    with running_server(
        "hybrid-voice-satellite",
        "--mic-file",
        str(wake_command),
        "--snd-file",
        str(reply),
        log_dir=tmp_path,
    ) as satellite:
        entry = await add_wyoming(hass, satellite.port)
        assert await wait_until(lambda: hass.states.is_state(LIGHT, "on"), limit=300)
        assert await wait_until(lambda: "reply played" in satellite.log(), limit=120)
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    # The turn went through the hybrid_voice agent (the pipeline's debug record).
    runs = hass.data[KEY_ASSIST_PIPELINE].pipeline_debug.popitem()[1]
    engines = [
        event.data["engine"]
        for run in runs.values()
        for event in run.events
        if event.type == "intent-start" and event.data
    ]
    assert engines == [agent]
    tts_audio = [p for p in (tmp_path / "tts").iterdir() if p.suffix == ".wav"]
    assert len(tts_audio) == 1
    assert wav_frames(reply) == wav_frames(tts_audio[0]) > 0

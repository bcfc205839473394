"""A voice home in the test harness.

Lights in three areas, the Hybrid Voice agent, a pipeline on our Wyoming servers, and a
satellite process that speaks a recording.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from homeassistant.components import assist_pipeline
from homeassistant.components.assist_pipeline.pipeline import (
    KEY_ASSIST_PIPELINE,
    async_get_pipeline,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from script.local_stack.turn_report import (
    PipelineRecord,
    read_pipeline_events,
    read_satellite_log,
    route_of,
)
from tests.agent.conftest import async_add_agent, async_setup_home
from tests.satellite.home import add_wyoming, entity_of, wait_until
from tests.servers import RunningServer, running_server

SATELLITE = "hybrid-voice-satellite"


@dataclass(frozen=True)
class VoiceServers:
    """Where the speech servers and the model listen."""

    stt_port: int
    tts_port: int
    llm_url: str


@dataclass
class Turn:
    """What one spoken turn did: the pipeline's record and the satellite's log."""

    record: PipelineRecord
    route: str
    satellite_log: str

    @property
    def reply(self) -> str:
        """The spoken reply's text."""
        return self.record.reply or ""


async def set_up_voice_home(
    hass: HomeAssistant, servers: VoiceServers, **agent_options: Any
) -> str:
    """The home, the agent and the preferred pipeline; the pipeline's id."""
    await async_setup_home(hass)
    agent = await async_add_agent(hass, servers.llm_url, **agent_options)
    agent_entity = next(
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), agent.entry_id)
        if e.domain == "conversation"
    )
    stt_entry = await add_wyoming(hass, servers.stt_port)
    tts_entry = await add_wyoming(hass, servers.tts_port)
    pipeline = async_get_pipeline(hass)
    await assist_pipeline.async_update_pipeline(
        hass,
        pipeline,
        conversation_engine=agent_entity,
        conversation_language="en",
        stt_engine=entity_of(hass, stt_entry, "stt"),
        stt_language="en",
        tts_engine=entity_of(hass, tts_entry, "tts"),
        tts_language="en_US",
        tts_voice=None,
    )
    return pipeline.id


def _events_of_last_run(hass: HomeAssistant, pipeline_id: str) -> list[dict[str, Any]]:
    runs = hass.data[KEY_ASSIST_PIPELINE].pipeline_debug.get(pipeline_id)
    if not runs:
        return []
    last = list(runs.values())[-1]
    return [asdict(event) for event in last.events]


async def speak(
    hass: HomeAssistant, pipeline_id: str, recording: Path, log_dir: Path, limit: float = 240
) -> Turn:
    """Play `recording` as the satellite's microphone until the reply has been played."""
    with running_server(
        SATELLITE,
        "--mic-file",
        str(recording),
        "--snd-file",
        str(log_dir),
        "--debug",
        log_dir=log_dir,
    ) as satellite:
        entry = await add_wyoming(hass, satellite.port)
        finished = await wait_until(
            lambda: any(mark in satellite.log() for mark in ("reply played", "Home Assistant: ")),
            limit=limit,
        )
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    log = satellite.log()
    assert finished, log
    record = read_pipeline_events(_events_of_last_run(hass, pipeline_id))
    assert record.error is None, record.error
    assert read_satellite_log(log.splitlines()).reply == record.reply
    return Turn(record, route_of(record.intent_end)[0], log)


__all__ = ["RunningServer", "Turn", "VoiceServers", "set_up_voice_home", "speak"]

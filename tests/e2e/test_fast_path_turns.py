"""Spoken chit-chat through the fast path, with the Realtime stand-in as the cloud.

The agent runs on the real local model too; when the stand-in fails, the local model
answers the same spoken turn.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from homeassistant.core import HomeAssistant

from bench.realtime_standin import RealtimeStandin
from bench.realtime_standin_script import Fault
from custom_components.hybrid_voice.const import CONF_OPENAI_KEY, CONF_REALTIME_URL, DOMAIN
from tests.fast.conftest import API_KEY, JOKE, standin
from tests.satellite.conftest import MakeSpeech

from .test_voice_turns import command
from .voice_home import VoiceServers, set_up_voice_home, speak

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def close_agents(hass: HomeAssistant) -> None:
    """Unload the agent: its Realtime websocket closes with it."""
    for entry in hass.config_entries.async_entries(DOMAIN):
        await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


__all__ = ["standin"]


async def test_spoken_chit_chat_is_answered_by_the_cloud(
    hass: HomeAssistant,
    voice_servers: VoiceServers,
    standin: RealtimeStandin,
    make_speech: MakeSpeech,
    tmp_path: Path,
) -> None:
    cloud = {CONF_OPENAI_KEY: API_KEY, CONF_REALTIME_URL: standin.base_url}
    pipeline = await set_up_voice_home(hass, voice_servers, **cloud)
    turn = await speak(hass, pipeline, command(make_speech, "joke", "Tell me a joke."), tmp_path)
    await close_agents(hass)
    assert turn.reply == JOKE
    assert "reply played" in turn.satellite_log


async def test_when_the_cloud_fails_the_local_model_answers_the_spoken_turn(
    hass: HomeAssistant,
    voice_servers: VoiceServers,
    standin: RealtimeStandin,
    make_speech: MakeSpeech,
    tmp_path: Path,
) -> None:
    cloud = {CONF_OPENAI_KEY: API_KEY, CONF_REALTIME_URL: standin.base_url}
    pipeline = await set_up_voice_home(hass, voice_servers, **cloud)
    standin.faults.inject(Fault.RESPONSE_SERVER_ERROR)
    turn = await speak(hass, pipeline, command(make_speech, "joke", "Tell me a joke."), tmp_path)
    await close_agents(hass)
    assert turn.reply
    assert turn.reply != JOKE
    assert "reply played" in turn.satellite_log

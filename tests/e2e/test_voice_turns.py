"""Spoken turns through the whole product.

Satellite -> Home Assistant -> our STT -> the Hybrid Voice agent (instant tier or the
local model) -> our TTS -> satellite.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from homeassistant.core import HomeAssistant

from custom_components.hybrid_voice.const import CONF_INSTANT
from tests.satellite.conftest import MakeSpeech

from .voice_home import VoiceServers, set_up_voice_home, speak

pytestmark = pytest.mark.usefixtures("socket_enabled")


def command(make_speech: MakeSpeech, name: str, sentence: str) -> Path:
    """The wake word, a pause, then `sentence`, as a microphone would hear it."""
    return make_speech(name, "silence:0.7", "say:Okay nabu.", "silence:1.0", f"say:{sentence}")


async def test_a_plain_command_runs_on_the_instant_tier(
    hass: HomeAssistant, voice_servers: VoiceServers, make_speech: MakeSpeech, tmp_path: Path
) -> None:
    pipeline = await set_up_voice_home(hass, voice_servers)
    said = command(make_speech, "instant", "Turn on the kitchen light.")
    turn = await speak(hass, pipeline, said, tmp_path)
    assert hass.states.is_state("light.kitchen_light", "on")
    assert hass.states.is_state("light.bedroom_light", "off")
    assert turn.route == "instant"
    assert "reply played" in turn.satellite_log


async def test_without_the_instant_tier_the_local_model_runs_the_command(
    hass: HomeAssistant, voice_servers: VoiceServers, make_speech: MakeSpeech, tmp_path: Path
) -> None:
    pipeline = await set_up_voice_home(hass, voice_servers, **{CONF_INSTANT: False})
    said = command(make_speech, "think", "Turn on the bedroom light.")
    turn = await speak(hass, pipeline, said, tmp_path)
    assert turn.route == "think"
    assert hass.states.is_state("light.bedroom_light", "on")
    assert hass.states.is_state("light.kitchen_light", "off")
    assert hass.states.is_state("light.living_room_lamp", "off")
    assert turn.reply


async def test_a_question_about_the_home_is_answered_from_its_state(
    hass: HomeAssistant, voice_servers: VoiceServers, make_speech: MakeSpeech, tmp_path: Path
) -> None:
    pipeline = await set_up_voice_home(hass, voice_servers)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": "light.living_room_lamp"}, blocking=True
    )
    said = command(make_speech, "question", "Is the living room lamp on?")
    turn = await speak(hass, pipeline, said, tmp_path)
    assert "yes" in turn.reply.lower() or " on" in turn.reply.lower(), turn.reply
    assert hass.states.is_state("light.living_room_lamp", "on")
    assert hass.states.is_state("light.kitchen_light", "off")

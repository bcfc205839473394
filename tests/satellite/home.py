"""A small home in Home Assistant for the satellite tests.

A kitchen light, a voice pipeline with our Wyoming STT/TTS servers, and the satellite
added like a user would.
"""

from __future__ import annotations

import asyncio
import time
import wave
from collections.abc import Callable
from pathlib import Path

from homeassistant.components import assist_pipeline
from homeassistant.components.assist_pipeline.pipeline import async_get_pipeline
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

LIGHT = "light.kitchen_light"

_LIGHT_CONFIG = {
    "platform": "template",
    "lights": {
        "kitchen_light": {
            "friendly_name": "Kitchen Light",
            "value_template": "{{ is_state('input_boolean.kitchen', 'on') }}",
            "turn_on": {
                "action": "input_boolean.turn_on",
                "target": {"entity_id": "input_boolean.kitchen"},
            },
            "turn_off": {
                "action": "input_boolean.turn_off",
                "target": {"entity_id": "input_boolean.kitchen"},
            },
        }
    },
}


STORY = (
    "Once upon a time, in a small house by the sea, there lived a lighthouse keeper who "
    "loved to read. Every evening she climbed the stairs, lit the great lamp, and read "
    "one more chapter of her favourite book while the ships passed safely by."
)


async def add_story_command(hass: HomeAssistant) -> None:
    """Make "tell me a story" get a long spoken answer (a sentence trigger, no LLM)."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [{"trigger": "conversation", "command": ["tell {words} story"]}],
                "actions": [{"set_conversation_response": STORY}],
            }
        },
    )


async def add_wyoming(hass: HomeAssistant, port: int) -> MockConfigEntry:
    entry = MockConfigEntry(domain="wyoming", data={"host": "127.0.0.1", "port": port})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def entity_of(hass: HomeAssistant, entry: MockConfigEntry, domain: str) -> str:
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    return next(e.entity_id for e in entities if e.domain == domain)


async def set_up_home(hass: HomeAssistant, stt_port: int, tts_port: int) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "input_boolean", {"input_boolean": {"kitchen": {}}})
    assert await async_setup_component(hass, "light", {"light": [_LIGHT_CONFIG]})
    assert await async_setup_component(hass, "conversation", {})
    assert await async_setup_component(hass, "assist_pipeline", {})
    stt = await add_wyoming(hass, stt_port)
    tts = await add_wyoming(hass, tts_port)
    await hass.async_block_till_done()
    pipeline = async_get_pipeline(hass)
    await assist_pipeline.async_update_pipeline(
        hass,
        pipeline,
        stt_engine=entity_of(hass, stt, "stt"),
        stt_language="en",
        tts_engine=entity_of(hass, tts, "tts"),
        tts_language="en_US",
        tts_voice=None,
    )


async def wait_until(condition: Callable[[], bool], limit: float = 90.0) -> bool:
    """Poll until `condition()` holds; False after `limit` seconds (tests assert the result).

    Polling, because the conditions are a process's log and entity states.
    """
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


def wav_frames(path: Path) -> int:
    """How many frames a WAV file holds."""
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes()

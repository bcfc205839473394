"""Home Assistant's own wyoming integration adds the server as a TTS engine and speaks."""

from __future__ import annotations

import io
import wave

import pytest
from homeassistant.components import tts
from homeassistant.components.tts.helper import get_engine_instance
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.servers import RunningServer

from .conftest import VOICE
from .speech_client import RATE

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_home_assistant_speaks_through_the_server(
    hass: HomeAssistant, tts_server: RunningServer
) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    entry = MockConfigEntry(domain="wyoming", data={"host": "127.0.0.1", "port": tts_server.port})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    (entity,) = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert entity.domain == "tts"

    engine = get_engine_instance(hass, entity.entity_id)
    assert engine is not None
    assert "en_US" in engine.supported_languages
    voices = engine.async_get_supported_voices("en_US")
    assert voices is not None
    assert [voice.voice_id for voice in voices] == [VOICE]

    text = "The kitchen light is on, and the front door is locked."
    options = {tts.ATTR_VOICE: VOICE, tts.ATTR_PREFERRED_FORMAT: "wav"}
    media_id = tts.generate_media_source_id(hass, text, entity.entity_id, "en_US", options)
    extension, data = await tts.async_get_media_source_audio(hass, media_id)
    assert extension == "wav"
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) == (RATE, 2, 1)
        seconds = wav.getnframes() / RATE
    assert 1.5 < seconds < 8

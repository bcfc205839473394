"""Our speech servers in a real assist pipeline.

Home Assistant's wyoming integration adds our servers as STT and TTS engines, and an
assist pipeline built on them hears a spoken command, acts on it and speaks a reply.
"""

from __future__ import annotations

import io
import re
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from homeassistant.components import assist_pipeline, stt, tts
from homeassistant.components.assist_pipeline import PipelineEvent, PipelineEventType
from homeassistant.components.assist_pipeline.pipeline import async_get_pipeline
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er

from tests.satellite.conftest import MakeSpeech
from tests.satellite.home import LIGHT, set_up_home
from tests.servers import RunningServer

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def pcm_chunks(wav_path: Path) -> AsyncIterator[bytes]:
    with wave.open(str(wav_path), "rb") as wav:
        assert (wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) == (16000, 2, 1)
        while chunk := wav.readframes(1024):
            yield chunk


def words(text: str) -> str:
    return re.sub(r"[^a-z ]", "", text.lower()).strip()


async def test_engines_from_our_servers(
    hass: HomeAssistant, stt_server: RunningServer, tts_server: RunningServer
) -> None:
    await set_up_home(hass, stt_server.port, tts_server.port)
    domains = sorted(entry.domain for entry in er.async_get(hass).entities.values())
    assert domains.count("stt") == 1
    assert domains.count("tts") == 1
    pipeline = async_get_pipeline(hass)
    assert pipeline.stt_engine is not None
    assert pipeline.stt_engine.startswith("stt.")
    assert pipeline.tts_engine is not None
    assert pipeline.tts_engine.startswith("tts.")


async def test_spoken_command_is_heard_executed_and_answered(
    hass: HomeAssistant,
    stt_server: RunningServer,
    tts_server: RunningServer,
    make_speech: MakeSpeech,
) -> None:
    await set_up_home(hass, stt_server.port, tts_server.port)
    clip = make_speech("pipeline_command", "silence:0.8", "say:Turn on the kitchen light.")
    events: list[PipelineEvent] = []
    await assist_pipeline.async_pipeline_from_audio_stream(
        hass,
        context=Context(),
        event_callback=events.append,
        stt_metadata=stt.SpeechMetadata(
            language="en",
            format=stt.AudioFormats.WAV,
            codec=stt.AudioCodecs.PCM,
            bit_rate=stt.AudioBitRates.BITRATE_16,
            sample_rate=stt.AudioSampleRates.SAMPLERATE_16000,
            channel=stt.AudioChannels.CHANNEL_MONO,
        ),
        stt_stream=pcm_chunks(clip),
        tts_audio_output="wav",
    )
    by_type = {event.type: event.data for event in events}
    assert PipelineEventType.ERROR not in by_type, by_type.get(PipelineEventType.ERROR)
    stt_end = by_type[PipelineEventType.STT_END]
    assert stt_end is not None
    assert words(stt_end["stt_output"]["text"]) == "turn on the kitchen light"
    assert hass.states.is_state(LIGHT, "on")

    tts_end = by_type[PipelineEventType.TTS_END]
    assert tts_end is not None
    media_id = tts_end["tts_output"]["media_id"]
    extension, audio = await tts.async_get_media_source_audio(hass, media_id)
    assert extension == "wav"
    with wave.open(io.BytesIO(audio)) as reply:
        seconds = reply.getnframes() / reply.getframerate()
    assert seconds > 0.5  # a spoken confirmation, not an empty file

"""What a client of the text-to-speech server hears: the voice list, audio, streamed audio."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from wyoming.client import AsyncTcpClient
from wyoming.event import Event
from wyoming.info import Info

from tests.servers import RunningServer

from .conftest import VOICE
from .speech_client import (
    CHANNELS,
    RATE,
    WIDTH,
    Reply,
    read_until,
    request,
    rms,
    speak,
    stream_events,
    synthesize_event,
    transcribe,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")

REPLY = (
    "Text to speech is a fascinating field. Modern neural models produce remarkably "
    "natural audio. We benchmark them to compare performance."
)


def assert_speech(reply: Reply, text: str) -> None:
    """22050 Hz 16-bit mono audio of a plausible length for the text, not silence."""
    assert reply.formats == {(RATE, WIDTH, CHANNELS)}
    assert reply.types.count("audio-start") == 1
    assert reply.types.index("audio-start") < reply.types.index("audio-stop")
    words = len(text.split())
    assert 0.15 * words < reply.seconds < 0.8 * words, (reply.seconds, words)
    assert rms(reply.audio) > 500


async def test_describe_lists_the_voice(tts_server: RunningServer) -> None:
    reply = await request(tts_server.port, [Event("describe")], "info")
    assert reply.types == ["info"]
    assert reply.last is not None
    (program,) = reply.last.data["tts"]
    assert program["name"] == "piper"
    assert program["installed"] is True
    assert program["version"]
    assert program["attribution"]["url"].startswith("https://")
    assert program["supports_synthesize_streaming"] is True
    (voice,) = program["voices"]
    assert voice["name"] == VOICE
    assert voice["languages"] == ["en_US"]
    assert voice["installed"] is True
    assert voice["attribution"]["name"]
    assert voice["description"]
    assert voice["speakers"] is None  # joe is a single-speaker voice
    # Home Assistant's own wyoming package reads it
    info = Info.from_event(reply.last)
    assert [v.name for v in info.tts[0].voices] == [VOICE]


async def test_synthesize_speaks_the_whole_reply(tts_server: RunningServer, tmp_path: Path) -> None:
    reply = await speak(tts_server.port, REPLY)
    assert reply.types == ["audio-start", "audio-stop"]
    assert_speech(reply, REPLY)
    heard = transcribe(reply.audio, tmp_path).lower()
    assert "fascinating" in heard
    assert "compare performance" in heard


async def test_named_voice_and_its_file_name_both_work(tts_server: RunningServer) -> None:
    for name in (VOICE, "en_US-joe-medium"):
        reply = await request(
            tts_server.port, [synthesize_event("Hello there.", {"name": name})], "audio-stop"
        )
        assert not reply.errors
        assert reply.seconds > 0.3


async def test_stream_speaks_the_first_sentence_while_text_still_arrives(
    tts_server: RunningServer,
) -> None:
    async with AsyncTcpClient("127.0.0.1", tts_server.port) as client:
        await client.write_event(Event("synthesize-start", {}))
        await client.write_event(
            Event("synthesize-chunk", {"text": "Sure, the kitchen light is on now. "})
        )
        # No more text yet: audio for what has arrived must come anyway.
        early = await read_until(client, "audio-chunk")
        assert early.types == ["audio-start"]
        for delta in ("I also ", "closed the ", "garage door", " for you."):
            await client.write_event(Event("synthesize-chunk", {"text": delta}))
        await client.write_event(Event("synthesize-stop", {}))
        reply = await read_until(client, "synthesize-stopped", early)
    assert reply.types == ["audio-start", "audio-stop", "synthesize-stopped"]
    assert_speech(reply, "Sure, the kitchen light is on now. I also closed the garage door.")


async def test_stream_like_home_assistant_speaks_the_text_once(
    tts_server: RunningServer,
) -> None:
    """Newer Home Assistant repeats the full text as `synthesize` inside the stream."""
    deltas = [
        "Text to",
        " speech is a fasc",
        "inating field. Modern",
        " neural models ",
        "produce remarkably natural audio. We benchmark them",
        " to compare performance.",
    ]
    events = stream_events(deltas)
    events.insert(-1, synthesize_event(REPLY))
    streamed = await request(tts_server.port, events, "synthesize-stopped")
    whole = await speak(tts_server.port, REPLY)
    assert streamed.types == ["audio-start", "audio-stop", "synthesize-stopped"]
    assert_speech(streamed, REPLY)
    assert 0.8 < streamed.seconds / whole.seconds < 1.25


SENTENCES = [
    "The living room lights are dimmed to forty percent for the evening.",
    "Your calendar shows a dentist appointment tomorrow at half past nine.",
    "The washing machine finished its cycle about ten minutes ago.",
    "Outside it is eleven degrees with a light breeze from the west.",
    "I locked the front door and switched off the porch light.",
]
LAST = "That is everything, and the purple elephant says good night."


async def test_long_text_streams_to_the_last_word(
    tts_server: RunningServer, tmp_path: Path
) -> None:
    text = " ".join(SENTENCES * 10 + [LAST])
    assert len(text) > 3000
    deltas = [text[i : i + 17] for i in range(0, len(text), 17)]  # LLM-sized pieces
    reply = await request(tts_server.port, stream_events(deltas), "synthesize-stopped")
    assert reply.types == ["audio-start", "audio-stop", "synthesize-stopped"]
    assert reply.formats == {(RATE, WIDTH, CHANNELS)}

    singles = await asyncio.gather(*(speak(tts_server.port, s) for s in [*SENTENCES, LAST]))
    expected = 10 * sum(r.seconds for r in singles[:-1]) + singles[-1].seconds
    assert 0.9 < reply.seconds / expected < 1.15, (reply.seconds, expected)

    tail = reply.audio[-int(1.3 * singles[-1].seconds * RATE) * WIDTH :]
    heard = transcribe(tail, tmp_path).lower()
    assert "elephant" in heard
    assert "good night" in heard or "goodnight" in heard


NUMBERS = "The meter reads 3,456,789 watt hours, 12,345,678 litres and 98,765,432 steps."
RUN_ON = " ".join(["the garden sprinklers water the lawn and the hedge"] * 8) + "."


async def test_sentences_that_make_very_long_audio_are_spoken_whole(
    tts_server: RunningServer,
) -> None:
    """Long run-on sentences and read-out numbers (peak memory: bench/server_memory.py)."""
    for text in (REPLY, RUN_ON):
        assert_speech(await speak(tts_server.port, text), text)
    numbers = await speak(tts_server.port, NUMBERS)
    assert 8 < numbers.seconds < 25  # about 40 words once the numbers are read out

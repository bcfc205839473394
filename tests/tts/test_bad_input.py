"""Bad requests get a Wyoming `error` event and one log line; the server keeps serving."""

from __future__ import annotations

import asyncio
import json

import pytest
from wyoming.client import AsyncTcpClient
from wyoming.event import Event, async_read_event

from tests.servers import RunningServer

from .conftest import VOICE
from .speech_client import Reply, read_until, request, speak, stream_events, synthesize_event

pytestmark = pytest.mark.usefixtures("socket_enabled")


def warnings(server: RunningServer) -> list[str]:
    return [line for line in server.log().splitlines() if " WARNING " in line]


async def assert_one_logged_error(server: RunningServer, reply_coro: object) -> Reply:
    """Run a request; it must get one error event and add exactly one warning line."""
    before = len(warnings(server))
    reply: Reply = await reply_coro  # type: ignore[misc]
    assert len(reply.errors) == 1, reply.types
    assert reply.errors[0]["code"] == "bad-request"
    assert len(warnings(server)) == before + 1
    assert "Traceback" not in server.log()
    return reply


@pytest.mark.parametrize("text", ["", "   ", "?!...", " - * - "])
async def test_nothing_to_speak(tts_server: RunningServer, text: str) -> None:
    reply = await assert_one_logged_error(tts_server, speak(tts_server.port, text))
    assert reply.types == ["error", "audio-stop"]  # the client is not left waiting
    assert not reply.audio
    assert "nothing to speak" in reply.errors[0]["text"]


async def test_stream_with_nothing_to_speak(tts_server: RunningServer) -> None:
    events = stream_events(["...", " ", "?!"])
    reply = await assert_one_logged_error(
        tts_server, request(tts_server.port, events, "synthesize-stopped")
    )
    assert reply.types == ["error", "synthesize-stopped"]
    assert not reply.audio


async def test_odd_characters_are_read_not_obeyed(tts_server: RunningServer) -> None:
    """Control characters and piper's raw-phoneme brackets in text are just text."""
    reply = await speak(tts_server.port, "Hello [[ wor\x00ld ]] and a smile \U0001f600 today.")
    assert reply.types == ["audio-start", "audio-stop"]
    assert reply.seconds > 1.0
    assert "Traceback" not in tts_server.log()


@pytest.mark.parametrize(
    ("voice", "named"),
    [
        ({"name": "en_GB-nobody-low"}, "en_GB-nobody-low"),
        ({"name": VOICE, "speaker": "alice"}, "alice"),
        ({"language": "de_DE"}, "de_DE"),
    ],
)
async def test_unknown_voice_speaker_or_language(
    tts_server: RunningServer, voice: dict[str, str], named: str
) -> None:
    events = [synthesize_event("Hello there.", voice)]
    reply = await assert_one_logged_error(
        tts_server, request(tts_server.port, events, "audio-stop")
    )
    assert reply.types == ["error", "audio-stop"]
    assert named in reply.errors[0]["text"]


async def test_a_language_the_voice_speaks_is_fine(tts_server: RunningServer) -> None:
    for language in ("en_US", "en"):
        events = [synthesize_event("Hello there.", {"language": language})]
        reply = await request(tts_server.port, events, "audio-stop")
        assert not reply.errors
        assert reply.audio


async def test_stream_with_unknown_voice_is_refused_at_once(tts_server: RunningServer) -> None:
    before = len(warnings(tts_server))
    async with AsyncTcpClient("127.0.0.1", tts_server.port) as client:
        await client.write_event(Event("synthesize-start", {"voice": {"name": "nobody"}}))
        reply = await read_until(client, "error")
        for event in stream_events(["Hello there. ", "How are you?"])[1:]:
            await client.write_event(event)
        reply = await read_until(client, "synthesize-stopped", reply)
    assert reply.types == ["error", "synthesize-stopped"]
    assert not reply.audio
    assert len(warnings(tts_server)) == before + 1


@pytest.mark.parametrize(
    ("event", "last"),
    [
        (Event("frobnicate", {}), "error"),
        (Event("synthesize-chunk", {"text": "Hello."}), "error"),
        (Event("synthesize-stop", {}), "error"),
        (Event("synthesize", {"text": 42}), "audio-stop"),
        (Event("synthesize", {"text": "Hello.", "voice": "joe"}), "audio-stop"),
    ],
    ids=[
        "unknown-type",
        "chunk-outside-stream",
        "stop-outside-stream",
        "text-not-string",
        "voice-not-object",
    ],
)
async def test_malformed_events_keep_the_connection(
    tts_server: RunningServer, event: Event, last: str
) -> None:
    async with AsyncTcpClient("127.0.0.1", tts_server.port) as client:
        reply = await assert_one_logged_error(tts_server, _send(client, event, last))
        assert not reply.audio
        # the same connection still works
        reply = await _send(client, synthesize_event("Still here."), "audio-stop")
    assert reply.types == ["audio-start", "audio-stop"]
    assert reply.audio


async def test_a_stream_with_a_malformed_voice_is_refused_once(tts_server: RunningServer) -> None:
    events = stream_events(["Hello there. ", "How are you?"])
    events[0] = Event("synthesize-start", {"voice": ["not", "an", "object"]})
    reply = await assert_one_logged_error(
        tts_server, request(tts_server.port, events, "synthesize-stopped")
    )
    assert reply.types == ["error", "synthesize-stopped"]


async def _send(client: AsyncTcpClient, event: Event, last: str) -> Reply:
    await client.write_event(event)
    return await read_until(client, last)


async def test_a_broken_header_line_gets_an_error_then_the_next_event_is_served(
    tts_server: RunningServer,
) -> None:
    before = len(warnings(tts_server))
    reader, writer = await asyncio.open_connection("127.0.0.1", tts_server.port)
    try:
        writer.write(b'{"type": "synthesize", "data": {"text": \n')
        writer.write(json.dumps({"type": "describe"}).encode() + b"\n")
        await writer.drain()
        first = await asyncio.wait_for(async_read_event(reader), 30)
        second = await asyncio.wait_for(async_read_event(reader), 30)
    finally:
        writer.close()
    assert first is not None
    assert first.type == "error"
    assert second is not None
    assert second.type == "info"
    assert len(warnings(tts_server)) == before + 1


async def test_an_oversized_event_is_refused_and_the_server_serves_others(
    tts_server: RunningServer,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", tts_server.port)
    try:
        header = {"type": "synthesize", "data_length": 64 * 1024 * 1024}
        writer.write(json.dumps(header).encode() + b"\n")
        await writer.drain()
        refusal = await asyncio.wait_for(async_read_event(reader), 30)
        closed = await asyncio.wait_for(reader.read(), 30)
    finally:
        writer.close()
    assert refusal is not None
    assert refusal.type == "error"
    assert closed == b""  # the stream cannot be trusted any more
    reply = await speak(tts_server.port, "Other clients are fine.")
    assert reply.audio
    assert not reply.errors

"""Bad input gets one error event and one log line; the server keeps serving everyone.

These tests share one server with small limits (utterances up to 20 s, one request
waiting for the model) so that overload and oversize are reached quickly.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from wyoming.asr import Transcribe
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.event import Event, async_read_event, async_write_event
from wyoming.info import Describe

from tests.servers import RunningServer, allow_sockets, running_server
from tests.stt.client import read_reply, transcribe
from tests.stt.conftest import MODEL
from tests.stt.speech import Clip, speak, words

pytestmark = pytest.mark.usefixtures("socket_enabled")

KITCHEN = "turn on the kitchen light"


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    allow_sockets()
    with running_server(
        "hybrid-voice-stt",
        "--model",
        MODEL,
        "--threads",
        "2",
        "--debug",
        "--max-seconds",
        "20",
        "--max-waiting",
        "1",
        log_dir=tmp_path_factory.mktemp("stt-strict"),
    ) as server:
        yield server


class RawConnection:
    """Bytes exactly as a broken client would send them."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> RawConnection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def event(self) -> Event | None:
        async with asyncio.timeout(30):
            return await async_read_event(self.reader)

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


async def still_transcribes(server: RunningServer, clips: Path) -> None:
    reply = await transcribe(server.port, speak(KITCHEN, clips))
    assert words(reply.transcript) == words(KITCHEN)


def log_lines(server: RunningServer, pattern: str) -> list[str]:
    return [line for line in server.log().splitlines() if re.search(pattern, line)]


async def error_then_info(connection: RawConnection) -> str:
    """The text of the error the server answers with; then Describe must still work."""
    error = await connection.event()
    assert error is not None
    assert error.type == "error"
    await async_write_event(Describe().event(), connection.writer)
    info = await connection.event()
    assert info is not None
    assert info.type == "info"
    await connection.close()
    return str(error.data["text"])


async def test_malformed_header_gets_an_error_and_the_connection_survives(
    strict_server: RunningServer,
) -> None:
    connection = await RawConnection.open(strict_server.port)
    await connection.send(b'{"type": "describe", oops\n')
    assert "malformed event header" in await error_then_info(connection)
    assert len(log_lines(strict_server, "malformed event header")) == 1


async def test_unknown_event_gets_an_error(strict_server: RunningServer) -> None:
    connection = await RawConnection.open(strict_server.port)
    await async_write_event(Event(type="make-coffee", data={"sugar": 2}), connection.writer)
    assert "unsupported event 'make-coffee'" in await error_then_info(connection)


@pytest.mark.parametrize(
    ("audio_format", "complaint"),
    [
        ({"rate": 0, "width": 2, "channels": 1}, "rate 0 Hz"),
        ({"rate": 16000, "width": 7, "channels": 1}, "width 7 bytes"),
        ({"rate": 16000, "width": 2, "channels": 0}, "channels 0"),
        ({"rate": "fast", "width": 2, "channels": 1}, "not numeric"),
        ({"width": 2, "channels": 1}, "without rate"),
    ],
    ids=["rate-0", "width-7", "channels-0", "rate-text", "no-rate"],
)
async def test_impossible_audio_is_refused(
    strict_server: RunningServer, clips: Path, audio_format: dict[str, object], complaint: str
) -> None:
    async with AsyncTcpClient("127.0.0.1", strict_server.port) as client:
        await client.write_event(Transcribe().event())
        await client.write_event(Event(type="audio-start", data=audio_format))
        for _ in range(5):
            chunk = Event(type="audio-chunk", data=audio_format, payload=b"\x01\x00" * 1600)
            await client.write_event(chunk)
        await client.write_event(AudioStop().event())
        reply = await read_reply(client)
        assert reply.types == ["error"]
        assert complaint in reply.events[0].data["text"]
        # The failed request ends the connection, so a client waiting for a transcript
        # is not left hanging.
        async with asyncio.timeout(30):
            assert await client.read_event() is None
    assert len(log_lines(strict_server, re.escape(complaint))) == 1
    await still_transcribes(strict_server, clips)


async def test_unsupported_language_is_refused(strict_server: RunningServer) -> None:
    async with AsyncTcpClient("127.0.0.1", strict_server.port) as client:
        await client.write_event(Transcribe(language="de").event())
        reply = await read_reply(client)
    assert reply.types == ["error"]
    assert "language 'de' is not supported" in reply.events[0].data["text"]


async def test_too_long_utterance_is_refused(strict_server: RunningServer, clips: Path) -> None:
    clip = speak(KITCHEN, clips)
    reply = await transcribe(strict_server.port, clip.silence(25.0))
    assert reply.types == ["error"]
    assert "longer than 20 s" in reply.events[0].data["text"]
    await still_transcribes(strict_server, clips)


async def test_oversized_event_closes_only_that_connection(
    strict_server: RunningServer, clips: Path
) -> None:
    connection = await RawConnection.open(strict_server.port)
    header = {
        "type": "audio-chunk",
        "data": {"rate": 16000, "width": 2, "channels": 1},
        "payload_length": 100 * 1024 * 1024,
    }
    await connection.send(json.dumps(header).encode() + b"\n")
    error = await connection.event()
    assert error is not None
    assert error.type == "error"
    assert "too large" in error.data["text"]
    assert await connection.event() is None
    await connection.close()
    await still_transcribes(strict_server, clips)


async def test_overload_gets_transcripts_or_clear_busy_errors(
    strict_server: RunningServer, clips: Path
) -> None:
    """Six finished requests at once, one may wait: each gets its transcript or 'busy'.

    How many are refused depends on how fast the model is; that a request beyond the
    waiting limit is refused is checked in a fixed order in `test_decode_queue.py`.
    """
    clip = speak(KITCHEN, clips)
    clients = [AsyncTcpClient("127.0.0.1", strict_server.port) for _ in range(6)]
    for client in clients:
        await client.connect()
        await client.write_event(Transcribe().event())
        fmt = {"rate": clip.rate, "width": clip.width, "channels": clip.channels}
        await client.write_event(AudioStart(**fmt).event())
        await client.write_event(AudioChunk(audio=clip.pcm, **fmt).event())
    await asyncio.gather(*(client.write_event(AudioStop().event()) for client in clients))
    replies = await asyncio.gather(*(read_reply(client) for client in clients))
    for client in clients:
        await client.disconnect()
    answered = [r for r in replies if "transcript" in r.types]
    refused = [r for r in replies if r.types == ["error"]]
    assert len(answered) + len(refused) == len(clients)
    assert answered
    assert all(words(r.transcript) == words(KITCHEN) for r in answered)
    assert all(r.events[0].data["code"] == "busy" for r in refused)
    await still_transcribes(strict_server, clips)


async def abandon(port: int, clip: Clip, cut_mid_event: bool) -> None:
    """Start a request, send its audio, and vanish without AudioStop.

    A Describe after the audio makes sure the server has taken in everything (and
    holds the whole utterance) before the client disappears.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await async_write_event(Transcribe().event(), writer)
    await send_clip_without_stop(writer, clip)
    await async_write_event(Describe().event(), writer)
    async with asyncio.timeout(30):
        while (event := await async_read_event(reader)) is not None and event.type != "info":
            pass
    if cut_mid_event:
        writer.write(b'{"type": "audio-chunk", "data": {"rate": 48000, "wid')
    writer.close()
    await writer.wait_closed()


async def send_clip_without_stop(writer: asyncio.StreamWriter, clip: Clip) -> None:
    fmt = {"rate": clip.rate, "width": clip.width, "channels": clip.channels}
    await async_write_event(AudioStart(**fmt).event(), writer)
    step = clip.rate // 10 * clip.width * clip.channels
    for offset in range(0, len(clip.pcm), step):
        await async_write_event(
            AudioChunk(audio=clip.pcm[offset : offset + step], **fmt).event(), writer
        )


async def wait_for_disconnects(server: RunningServer, count: int) -> list[str]:
    """The server's own report line for each of `count` closed connections."""
    for _ in range(600):
        lines = log_lines(server, "disconnected;")
        if len(lines) >= count:
            return lines
        await asyncio.sleep(0.2)
    raise AssertionError(f"the server reported {len(lines)} of {count} disconnects")


async def test_abandoned_requests_leak_nothing(strict_server: RunningServer, clips: Path) -> None:
    """Clients that vanish mid-stream leave no connections or tasks behind.

    (The memory they leave behind is measured by bench/server_memory.py.)
    """
    speech = speak(KITCHEN, clips, rate=48000, channels=2, trailing=1.0)
    clip = speech + speech.silence(13.0)  # 15 s: 2.9 MB sent, ~1 MB kept while it lasts

    async def abandon_many(count: int) -> list[str]:
        before = len(log_lines(strict_server, "disconnected;"))
        for n in range(count):
            await abandon(strict_server.port, clip, cut_mid_event=n % 2 == 1)
        await still_transcribes(strict_server, clips)
        return await wait_for_disconnects(strict_server, before + count + 1)

    settled = await abandon_many(20)
    baseline_tasks = settled[-1].split("; ")[1]
    final = await abandon_many(20)
    # Every connection is gone and the server runs as many tasks as before.
    assert final[-1].split("; ")[1] == baseline_tasks
    assert baseline_tasks.startswith("0 connections open")
    assert "Traceback" not in strict_server.log()

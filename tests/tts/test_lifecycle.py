"""Many clients, clients that vanish mid-request, start-up errors and shutdown."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path

import pytest
from wyoming.client import AsyncTcpClient
from wyoming.event import Event, async_read_event, async_write_event

from tests.fuzz.checks import wait_for_log
from tests.servers import RunningServer, console_script, running_server

from .conftest import VOICE
from .speech_client import (
    EVENT_TIMEOUT,
    Reply,
    read_until,
    speak,
    stream_events,
    synthesize_event,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")

SENTENCE = "The hallway lights turn off at midnight unless somebody is still at home."
LONG = " ".join([SENTENCE] * 12)


async def test_a_short_request_is_not_stuck_behind_a_long_one(tts_server: RunningServer) -> None:
    """Requests take turns piece by piece.

    The short request is sent once the long one's first audio has arrived, so the long
    one is known to be under way with about eleven of its twelve sentences to go. A
    server that finished the long text first would have sent nearly all of its audio
    before the short reply ends; one that takes turns has sent at most two pieces.
    """
    long_reply = Reply()
    async with AsyncTcpClient("127.0.0.1", tts_server.port) as long_client:
        await long_client.write_event(synthesize_event(LONG))
        await read_until(long_client, "audio-chunk", long_reply)
        rest = asyncio.create_task(read_until(long_client, "audio-stop", long_reply))
        short_reply = await speak(tts_server.port, "Done.")
        long_audio_before_short_ended = len(long_reply.audio)
        await rest
    assert short_reply.audio
    assert long_reply.types == ["audio-start", "audio-stop"]
    assert long_audio_before_short_ended < len(long_reply.audio) / 2


async def test_as_many_clients_at_once_as_the_server_admits_all_get_their_audio(
    tts_server: RunningServer,
) -> None:
    """Eight at once: hybrid-voice-tts's default --max-requests (more are refused as busy)."""
    texts = [f"Request number {n} is done." for n in range(8)]
    replies = await asyncio.gather(*(speak(tts_server.port, text) for text in texts))
    for reply in replies:
        assert reply.types == ["audio-start", "audio-stop"]
        assert reply.seconds > 0.5


def _process_counts(pid: int) -> tuple[int, int]:
    """Open file descriptors and threads of a process."""
    return len(os.listdir(f"/proc/{pid}/fd")), len(os.listdir(f"/proc/{pid}/task"))


async def _vanish(port: int, events: list[Event], wait_for_audio: bool) -> None:
    """Send a request, maybe wait for its first audio, then drop the connection hard."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for event in events:
        await async_write_event(event, writer)
    while wait_for_audio:
        received = await asyncio.wait_for(async_read_event(reader), EVENT_TIMEOUT)
        assert received is not None
        wait_for_audio = received.type != "audio-chunk"
    writer.transport.abort()


def _at_most(counts: tuple[int, int], baseline: tuple[int, int]) -> bool:
    return all(now <= before for now, before in zip(counts, baseline, strict=True))


async def _settled_counts(pid: int, baseline: tuple[int, int]) -> tuple[int, int]:
    """Counts once the server has closed what it should (polled, at most 30 s)."""
    deadline = time.monotonic() + 30
    counts = _process_counts(pid)
    while not _at_most(counts, baseline) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        counts = _process_counts(pid)
    return counts


async def test_clients_that_vanish_mid_request_leave_nothing_behind(tmp_path: Path) -> None:
    """Sockets and threads return to what the idle server had before any client came.

    (How much memory such clients leave behind is measured by bench/server_memory.py.)
    """
    rounds = 8
    with running_server("hybrid-voice-tts", "--voice", VOICE, log_dir=tmp_path) as server:
        pid = server.process.pid
        await speak(server.port, SENTENCE)
        baseline = _process_counts(pid)  # after one whole request: the steady state

        for _ in range(rounds):
            await _vanish(server.port, [synthesize_event(LONG)], wait_for_audio=True)
            streamed = stream_events([SENTENCE + " ", SENTENCE + " ", "and then"])[:-1]
            await _vanish(server.port, streamed, wait_for_audio=True)
            await _vanish(
                server.port,
                [streamed[0], Event("synthesize-chunk", {"text": "Hel"})],
                wait_for_audio=False,
            )
        reply = await speak(server.port, "I am still here.")  # queued after every piece
        assert reply.audio

        counts = await _settled_counts(pid, baseline)
        assert _at_most(counts, baseline), f"sockets or threads left open: {counts} > {baseline}"
        vanished = "connection closed in the middle of a request"
        await wait_for_log(server, lambda log: log.count(vanished) >= 3 * rounds, 30)
        log = server.log()
        assert log.count(vanished) == 3 * rounds
        assert "Traceback" not in log
        assert "socket.send() raised" not in log

        # a client still connected when the service is stopped does not hold it up
        _, writer = await asyncio.open_connection("127.0.0.1", server.port)
        await async_write_event(synthesize_event(LONG), writer)
    writer.close()
    assert server.process.returncode == 0
    assert "stopping" in server.log()
    assert "Traceback" not in server.log()


def test_an_unknown_voice_stops_start_up_with_a_clear_message() -> None:
    result = subprocess.run(
        [console_script("hybrid-voice-tts"), "--uri", "tcp://127.0.0.1:9", "--voice", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2  # the systemd unit does not restart on this status
    assert "nope" in result.stderr
    assert "Traceback" not in result.stderr

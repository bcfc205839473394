"""Many clients, clients that vanish mid-request, start-up errors and shutdown."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path

import pytest
from wyoming.event import Event, async_read_event, async_write_event

from tests.servers import RunningServer, console_script, running_server

from .conftest import VOICE
from .speech_client import EVENT_TIMEOUT, speak, stream_events, synthesize_event

pytestmark = pytest.mark.usefixtures("socket_enabled")

SENTENCE = "The hallway lights turn off at midnight unless somebody is still at home."
LONG = " ".join([SENTENCE] * 12)


async def test_a_short_request_is_not_stuck_behind_a_long_one(tts_server: RunningServer) -> None:
    finished: dict[str, float] = {}

    async def long_reply() -> None:
        await speak(tts_server.port, LONG)
        finished["long"] = time.monotonic()

    async def short_reply() -> None:
        await asyncio.sleep(0.5)  # let the long request start first
        reply = await speak(tts_server.port, "Done.")
        assert reply.audio
        finished["short"] = time.monotonic()

    await asyncio.gather(long_reply(), short_reply())
    assert finished["short"] < finished["long"]  # the pieces took turns


async def test_twenty_clients_at_once_all_get_their_audio(tts_server: RunningServer) -> None:
    texts = [f"Request number {n} is done." for n in range(20)]
    replies = await asyncio.gather(*(speak(tts_server.port, text) for text in texts))
    for reply in replies:
        assert reply.types == ["audio-start", "audio-stop"]
        assert reply.seconds > 0.5


def _process_counts(pid: int) -> tuple[int, int, int]:
    """Open file descriptors, threads and resident memory (kB) of a process."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    rss_kb = int(next(line for line in status if line.startswith("VmRSS")).split()[1])
    return len(os.listdir(f"/proc/{pid}/fd")), len(os.listdir(f"/proc/{pid}/task")), rss_kb


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


async def _settled_counts(pid: int, baseline: tuple[int, int, int]) -> tuple[int, int, int]:
    """Counts once the server has closed what it should (it may take a moment)."""
    deadline = time.monotonic() + 30
    counts = _process_counts(pid)
    while counts[:2] != baseline[:2] and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        counts = _process_counts(pid)
    return counts


async def test_clients_that_vanish_mid_request_leave_nothing_behind(tmp_path: Path) -> None:
    rounds = 8
    with running_server("hybrid-voice-tts", "--voice", VOICE, log_dir=tmp_path) as server:
        pid = server.process.pid
        await speak(server.port, SENTENCE)
        await asyncio.sleep(0.5)
        baseline = _process_counts(pid)

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

        fds, threads, rss_kb = await _settled_counts(pid, baseline)
        assert (fds, threads) == baseline[:2], "sockets or threads were left open"
        assert rss_kb - baseline[2] < 30 * 1024, f"grew by {(rss_kb - baseline[2]) // 1024} MB"
        log = server.log()
        assert log.count("connection closed in the middle of a request") == 3 * rounds
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

"""What an outside probe broke in the satellite, each reproduced.

A reply cut off by a disconnect kept the satellite from stopping; unreadable events
(the event reader is shared with the servers) ended the connection handler.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.fuzz.checks import UNREADABLE_EVENTS, check_unreadable_event, wait_for_log
from tests.fuzz.raw_client import RawClient
from tests.servers import RunningServer, running_server

from .peer import SATELLITE

pytestmark = pytest.mark.usefixtures("socket_enabled")

STOP_LIMIT = 20.0  # seconds; an idle satellite stops in well under one


def stops_on_sigterm(satellite: RunningServer) -> bool:
    """SIGTERM, then whether the process ended by itself within STOP_LIMIT seconds."""
    satellite.process.send_signal(signal.SIGTERM)
    try:
        satellite.process.wait(timeout=STOP_LIMIT)
    except subprocess.TimeoutExpired:
        return False
    return True


async def test_sigterm_stops_the_satellite_after_an_unfinished_reply(tmp_path: Path) -> None:
    with running_server(SATELLITE, "--no-sounds", log_dir=tmp_path) as satellite:
        async with RawClient(satellite.port) as home_assistant:
            await home_assistant.send_event("run-satellite")
            await home_assistant.send_event(
                "audio-start", {"rate": 22050, "width": 2, "channels": 1}
            )
            await home_assistant.send(
                b'{"type": "audio-chunk", "data_length": 42, "payload_length": 4410}\n'
                b'{"rate": 22050, "width": 2, "channels": 1}' + bytes(4410)
            )
            assert await wait_for_log(satellite, lambda log: "playing announcement" in log, 30)
        assert await wait_for_log(satellite, lambda log: "Home Assistant disconnected" in log, 30)
        stopped = stops_on_sigterm(satellite)
        log = satellite.log()
    assert stopped, f"still running {STOP_LIMIT:.0f} s after SIGTERM:\n{log[-2000:]}"
    assert "Traceback" not in log


async def test_sigterm_stops_the_satellite_while_a_reply_plays(tmp_path: Path) -> None:
    with running_server(SATELLITE, "--no-sounds", log_dir=tmp_path) as satellite:
        async with RawClient(satellite.port) as home_assistant:
            await home_assistant.send_event("run-satellite")
            await home_assistant.send_event(
                "audio-start", {"rate": 22050, "width": 2, "channels": 1}
            )
            assert await wait_for_log(satellite, lambda log: "playing announcement" in log, 30)
            stopped = stops_on_sigterm(satellite)
        log = satellite.log()
    assert stopped, f"still running {STOP_LIMIT:.0f} s after SIGTERM:\n{log[-2000:]}"


@pytest.mark.parametrize(("raw", "survives"), UNREADABLE_EVENTS.values(), ids=UNREADABLE_EVENTS)
async def test_unreadable_events_get_a_bad_request_error(
    quiet_satellite: RunningServer, raw: bytes, survives: bool
) -> None:
    await check_unreadable_event(quiet_satellite, raw, survives)


@pytest.mark.parametrize("writer", [False, True], ids=["no-writer", "silent-writer"])
async def test_sigterm_stops_the_satellite_blocked_on_its_microphone_pipe(
    tmp_path: Path, writer: bool
) -> None:
    pipe = tmp_path / "mic"
    os.mkfifo(pipe)
    # Without a writer the satellite waits in open(); with a silent one, in read().
    held = os.open(pipe, os.O_RDWR) if writer else None
    try:
        with running_server(
            SATELLITE, "--no-sounds", "--mic-file", str(pipe), log_dir=tmp_path
        ) as satellite:
            async with RawClient(satellite.port) as home_assistant:
                await home_assistant.send_event("run-satellite")
                connected = "Home Assistant connected"
                assert await wait_for_log(satellite, lambda log: connected in log, 30)
            stopped = stops_on_sigterm(satellite)
            log = satellite.log()
    finally:
        if held is not None:
            os.close(held)
    assert stopped, f"still running {STOP_LIMIT:.0f} s after SIGTERM:\n{log[-2000:]}"
    assert "Traceback" not in log

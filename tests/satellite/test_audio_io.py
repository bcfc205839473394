"""Microphone and speaker ends of the satellite.

Stdin/stdout, devices that are missing or come back, and the device list.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path
from typing import IO

import pytest
from wyoming.info import Describe
from wyoming.ping import Ping

from bench.local_process import free_port
from tests.servers import console_script, running_server

from .conftest import MakeSpeech
from .home import wait_until
from .live_mic import LiveMic
from .peer import SATELLITE, FakeHomeAssistant, send_reply, tone


def start_with_pipes(port: int, log: IO[str]) -> subprocess.Popen[bytes]:
    """The satellite with its microphone on stdin and its speaker on stdout."""
    command = [
        console_script(SATELLITE),
        "--uri",
        f"tcp://127.0.0.1:{port}",
        "--mic-file",
        "-",
        "--snd-file",
        "-",
        "--snd-rate",
        "16000",
        "--no-sounds",
    ]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)


async def test_stdin_microphone_and_stdout_speaker(
    socket_enabled: None, tmp_path: Path, wake_command: Path
) -> None:
    """`--mic-file - --snd-file -`: a streamed WAV in, raw PCM of the reply out."""
    port = free_port()
    log = (tmp_path / "satellite.log").open("w")
    process = start_with_pipes(port, log)
    assert process.stdin is not None
    assert process.stdout is not None
    try:
        assert await wait_until(lambda: "ready on" in (tmp_path / "satellite.log").read_text())
        async with FakeHomeAssistant(port) as ha:
            await ha.run_satellite()
            await ha.send(Ping(text="attached?").event())
            assert await ha.expect("pong") is not None
            await asyncio.to_thread(process.stdin.write, wake_command.read_bytes())
            await asyncio.to_thread(process.stdin.flush)
            run = await ha.expect("run-pipeline")
            await send_reply(ha, tone(1.0))
            finished = await ha.expect("played")
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
        log.close()
    assert run is not None
    assert finished is not None
    assert abs(len(output) / 2 / 16000 - 1.0) < 0.02  # one second of reply, resampled


async def test_microphone_that_goes_away_and_comes_back(
    socket_enabled: None, tmp_path: Path, make_speech: MakeSpeech
) -> None:
    wake = make_speech("wake_only", "say:Okay nabu.", "silence:0.3")
    fifo = tmp_path / "mic.fifo"
    first = LiveMic(fifo)
    with running_server(SATELLITE, "--mic-file", str(fifo), log_dir=tmp_path) as satellite:
        first.start()
        async with FakeHomeAssistant(satellite.port) as ha:
            await ha.run_satellite()
            assert await wait_until(lambda: "microphone: pipe" in satellite.log())
            first.stop()  # unplugged
            assert await wait_until(lambda: "waiting for it to come back" in satellite.log())
            second = LiveMic(fifo)  # plugged in again
            second.start()
            try:
                second.say(wake)
                run = await ha.expect("run-pipeline")
            finally:
                second.stop()
    assert run is not None


async def test_missing_microphone_is_logged_and_the_satellite_keeps_serving(
    socket_enabled: None, tmp_path: Path
) -> None:
    with running_server(SATELLITE, "--mic-device", "hw:9", log_dir=tmp_path) as satellite:
        assert await wait_until(lambda: "microphone unavailable" in satellite.log(), limit=30)
        async with FakeHomeAssistant(satellite.port) as ha:
            await ha.send(Describe().event())
            info = await ha.expect("info")
    assert info is not None
    assert "arecord -D hw:9 failed" in satellite.log() or "arecord not found" in satellite.log()


def test_list_devices_names_the_flags() -> None:
    result = subprocess.run(
        [console_script(SATELLITE), "--list-devices"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert (
        "Microphones (use with --mic-device)" in result.stdout
        or "arecord not found" in result.stdout
    )


async def test_alsa_devices_through_arecord_and_aplay(socket_enabled: None, tmp_path: Path) -> None:
    """ALSA's `null` devices: silence in, replies played out through a real `aplay`."""
    if shutil.which("arecord") is None or shutil.which("aplay") is None:
        pytest.skip("alsa-utils is not installed")
    with running_server(
        SATELLITE, "--mic-device", "null", "--snd-device", "null", log_dir=tmp_path
    ) as satellite:
        async with FakeHomeAssistant(satellite.port) as ha:
            await ha.run_satellite()
            await send_reply(ha, tone(0.5))
            finished = await ha.expect("played", limit=20.0)
    assert finished is not None
    assert "microphone: ALSA device null" in satellite.log()
    assert "failed" not in satellite.log()

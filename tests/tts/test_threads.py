"""The CPU threads the voice may use: --threads, its default, and the free-CPU reading."""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

import pytest

from tests.servers import console_script, running_server
from wyoming_shared.cpu_budget import CpuGauge, CpuReading, thread_budget

from .conftest import VOICE
from .speech_client import speak

REFUSAL = "must be 'auto' or a whole number of threads of at least 1"


def _start(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [console_script("hybrid-voice-tts"), "--uri", "tcp://127.0.0.1:9", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("value", ["0", "-2", "many", "1.5", ""])
def test_a_bad_thread_count_is_refused_before_anything_loads(value: str) -> None:
    result = _start("--voice", VOICE, "--threads", value)
    assert result.returncode == 2
    assert f"--threads: {REFUSAL}, not {value!r}" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_documents_the_setting_and_its_default() -> None:
    result = _start("--help")
    assert result.returncode == 0
    help_text = " ".join(result.stdout.split())
    assert "--threads auto|N" in help_text
    assert f"(default auto: every CPU this process may use, here {os.process_cpu_count()})" in (
        help_text
    )


def test_auto_means_every_cpu_the_process_may_use() -> None:
    assert thread_budget("auto") == thread_budget("AUTO") == os.process_cpu_count()
    assert thread_budget("3") == 3
    with pytest.raises(argparse.ArgumentTypeError, match=REFUSAL):
        thread_budget("0")


def _reading(wall: float, machine_busy: float, own: float) -> CpuReading:
    return CpuReading(wall=wall, machine_busy=machine_busy, own=own)


def test_free_cpus_leave_out_what_this_process_uses() -> None:
    gauge = CpuGauge(cpus=2)
    assert gauge.free() == 2  # nothing read yet: assume an idle machine
    # Over 1 s the machine was busy for 1.5 CPU-seconds, 1.0 of them our own synthesis.
    gauge._readings.extend([_reading(10.0, 100.0, 5.0), _reading(11.0, 101.5, 6.0)])
    assert gauge.free() == pytest.approx(1.5)
    # Another process (the local model) keeps both CPUs busy: nothing is free.
    busy = CpuGauge(cpus=2)
    busy._readings.extend([_reading(10.0, 100.0, 5.0), _reading(11.0, 102.0, 5.0)])
    assert busy.free() == 0.0


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("threads", ["1", "3"])
async def test_the_server_speaks_with_the_threads_it_was_given(
    tmp_path: Path, threads: str
) -> None:
    with running_server(
        "hybrid-voice-tts", "--voice", VOICE, "--threads", threads, log_dir=tmp_path
    ) as server:
        replies = [await speak(server.port, "The kitchen light is on. The door is locked.")]
        replies += [await speak(server.port, "Done.")]
        log = server.log()
    assert all(reply.types == ["audio-start", "audio-stop"] for reply in replies)
    assert all(reply.seconds > 0.3 for reply in replies)
    assert f"synthesis on up to {threads} CPU threads" in log
    assert "Traceback" not in log

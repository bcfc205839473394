"""The stack's child processes: clear start errors, and nothing left behind on stop."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

import pytest

from bench.local_process import free_port
from script.local_stack.processes import ProcessGroup, Service, StartError, listens

SERVE = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1"]


def web_server(tmp_path: Path, port: int, name: str = "web") -> Service:
    return Service(name, [*SERVE, str(port)], port, tmp_path / f"{name}.log", startup_timeout=30)


def test_a_service_starts_serves_and_stops(tmp_path: Path) -> None:
    messages: list[str] = []
    group = ProcessGroup(messages.append)
    port = free_port()
    running = group.start(web_server(tmp_path, port))
    assert listens(port)
    group.stop_all()
    assert running.process.poll() is not None
    assert not listens(port)
    assert group.running == []


def test_a_taken_port_is_named_and_nothing_starts(tmp_path: Path) -> None:
    group = ProcessGroup(print)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(StartError, match=rf"web: port {port} is taken"):
            group.start(web_server(tmp_path, port))
    assert group.running == []


def test_a_missing_program_says_to_run_setup(tmp_path: Path) -> None:
    service = Service(
        "stt", [str(tmp_path / "bin" / "hybrid-voice-stt")], free_port(), tmp_path / "x"
    )
    with pytest.raises(StartError, match="hybrid-voice-stt is missing; run script/setup"):
        ProcessGroup(print).start(service)


def test_a_program_that_dies_while_starting_is_reported_with_its_log(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import sys; print('model file not found'); sys.exit(3)"]
    service = Service("llm", argv, free_port(), tmp_path / "llm.log", startup_timeout=30)
    group = ProcessGroup(print)
    with pytest.raises(StartError, match=r"llm exited with code 3") as failure:
        group.start(service)
    assert "model file not found" in str(failure.value)
    group.stop_all()


def test_stopping_ends_what_a_service_started_itself(tmp_path: Path) -> None:
    port = free_port()
    child_pid_file = tmp_path / "child.pid"
    # A launcher that starts a grandchild (as hybrid-voice-llm starts its server).
    script = (
        "import subprocess, sys, time\n"
        f"child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        f"open({str(child_pid_file)!r}, 'w').write(str(child.pid))\n"
        f"subprocess.run({[*SERVE, str(port)]!r})\n"
    )
    service = Service("launcher", [sys.executable, "-c", script], port, tmp_path / "l.log")
    group = ProcessGroup(print)
    group.start(service)
    child_pid = int(child_pid_file.read_text())
    group.stop_all(grace=10)
    assert _ends_within(child_pid, seconds=10)


def _ends_within(pid: int, seconds: float) -> bool:
    """The process is gone (or a zombie) within `seconds`: a signal is not instant."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
                return True
        except OSError:
            return True
        time.sleep(0.1)
    return False

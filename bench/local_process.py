"""A server program as a child process on a loopback port, as tests and benchmarks run it.

Start it, wait until it listens, SIGTERM it afterwards.

The one home of the runner: tests import it from here, benchmarks never import tests.
Standard library only, so it serves both Python environments.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOG_TAIL = 3000  # characters of the server's log quoted when it fails to start
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_port(
    process: subprocess.Popen[bytes], port: int, log_path: Path, name: str, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text(errors="replace")[-LOG_TAIL:]
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    log = log_path.read_text(errors="replace")[-LOG_TAIL:]
    raise TimeoutError(f"{name} did not listen within {timeout:.0f} s:\n{log}")


@contextmanager
def serving(
    argv: list[str],
    *,
    port: int,
    log_path: Path,
    env: dict[str, str] | None = None,
    startup_timeout: float = 120.0,
    stop_timeout: float = 15.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `argv` (which must make it listen on `port`), logging to `log_path`."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
    try:
        _wait_for_port(process, port, log_path, Path(argv[0]).name, startup_timeout)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_healthy(port: int, timeout: float = 600.0) -> None:
    """Until `hybrid-voice-llm` on `port` has loaded its model.

    It listens before that, and its /health says "ok" once it can answer.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as reply:
                if reply.status == 200 and json.load(reply).get("status") == "ok":
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the server on port {port} was not healthy within {timeout:.0f} s")


def servers_bin() -> Path:
    """The bin directory of the servers' environment (script/test exports it)."""
    return Path(os.environ.get("HYBRID_VOICE_SERVERS_BIN", ROOT / ".venv" / "servers" / "bin"))


def console_script(name: str) -> str:
    """The path of one of the servers' console scripts; an error says to run set-up."""
    path = servers_bin() / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run script/setup")
    return str(path)


@dataclass
class RunningServer:
    """A server started by `running_server`: its process, port and log file."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def uri(self) -> str:
        """The Wyoming URI the server listens on."""
        return f"tcp://127.0.0.1:{self.port}"

    def log(self) -> str:
        """Everything the server has logged so far."""
        return self.log_path.read_text(errors="replace")


@contextmanager
def running_server(
    script: str,
    *args: str,
    log_dir: Path,
    startup_timeout: float = 120.0,
    env: dict[str, str] | None = None,
) -> Iterator[RunningServer]:
    """Run `script --uri tcp://127.0.0.1:<free port> *args`; stop it with SIGTERM after."""
    port = free_port()
    log_path = log_dir / f"{script}-{port}.log"
    argv = [console_script(script), "--uri", f"tcp://127.0.0.1:{port}", *args]
    with serving(
        argv, port=port, log_path=log_path, env=env, startup_timeout=startup_timeout
    ) as process:
        yield RunningServer(process, port, log_path)

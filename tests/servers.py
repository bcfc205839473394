"""Start the servers from their own virtual environment, as separate processes.

The servers use the newest `wyoming`; the tests run beside Home Assistant with HA's
pinned `wyoming`. They meet over real TCP sockets on 127.0.0.1, as in a real home.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest_socket

from bench.local_process import free_port, serving

ROOT = Path(__file__).resolve().parent.parent


def allow_sockets() -> None:
    """Lift pytest-socket's block for server fixtures wider than one test: they start
    before the function-scoped `socket_enabled` fixture. Tests only use 127.0.0.1.
    """
    pytest_socket.enable_socket()  # type: ignore[no-untyped-call,unused-ignore]


def servers_bin() -> Path:
    """The bin directory of the servers' environment (script/test exports it)."""
    return Path(os.environ.get("HYBRID_VOICE_SERVERS_BIN", ROOT / ".venv" / "servers" / "bin"))


def console_script(name: str) -> str:
    path = servers_bin() / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run script/setup")
    return str(path)


@dataclass
class RunningServer:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def log(self) -> str:
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

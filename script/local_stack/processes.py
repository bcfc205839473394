"""Child processes of the stack: start each, wait until it serves, watch, stop them all.

Children run in their own session, so Ctrl-C reaches only this process, which then
stops them in reverse order (SIGTERM, SIGKILL after a grace period) and waits for each.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

LOG_TAIL_LINES = 12


class StartError(Exception):
    """A service could not start; the message says which and why."""


@dataclass(frozen=True)
class Service:
    """A program of the stack: how to run it and how to tell it is ready."""

    name: str
    argv: list[str]
    port: int
    log_path: Path
    env: Mapping[str, str] = field(default_factory=dict)
    ready: Callable[[], bool] | None = None  # beyond listening on `port`
    startup_timeout: float = 300.0
    what: str = ""  # shown in "runs where" lines, e.g. "Wyoming speech-to-text"


def port_is_free(port: int) -> bool:
    """Nothing listens on 127.0.0.1:`port` (a bind would succeed)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def listens(port: int) -> bool:
    """Something accepts connections on 127.0.0.1:`port`."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines of a log, indented, for an error message."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Signal a child and whatever it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


@dataclass
class RunningService:
    """A started service and its process."""

    service: Service
    process: subprocess.Popen[bytes]


class ProcessGroup:
    """The services started so far; `stop_all` ends every one of them."""

    def __init__(self, announce: Callable[[str], None]) -> None:
        self.running: list[RunningService] = []
        self._announce = announce

    def start(self, service: Service) -> RunningService:
        """Start `service` and wait until it serves; StartError if it cannot."""
        if not port_is_free(service.port):
            raise StartError(
                f"{service.name}: port {service.port} is taken (another copy of the stack, "
                f"or another program); stop it or set another port"
            )
        missing = Path(service.argv[0])
        if missing.is_absolute() and not missing.exists():
            raise StartError(f"{service.name}: {missing} is missing; run script/setup")
        service.log_path.parent.mkdir(parents=True, exist_ok=True)
        with service.log_path.open("ab") as log:
            process = subprocess.Popen(
                service.argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **service.env},
                start_new_session=True,
            )
        running = RunningService(service, process)
        self.running.append(running)
        self._wait_ready(running)
        return running

    def _wait_ready(self, running: RunningService) -> None:
        service = running.service
        deadline = time.monotonic() + service.startup_timeout
        while time.monotonic() < deadline:
            if running.process.poll() is not None:
                raise StartError(
                    f"{service.name} exited with code {running.process.returncode} while "
                    f"starting; the end of {service.log_path}:\n{log_tail(service.log_path)}"
                )
            if listens(service.port) and (service.ready is None or service.ready()):
                return
            time.sleep(0.2)
        raise StartError(
            f"{service.name} was not ready within {service.startup_timeout:.0f} s; the end "
            f"of {service.log_path}:\n{log_tail(service.log_path)}"
        )

    def exited(self) -> RunningService | None:
        """A service that has stopped on its own, if any."""
        return next((r for r in self.running if r.process.poll() is not None), None)

    def stop_all(self, grace: float = 20.0) -> None:
        """SIGTERM every service (last started first), SIGKILL what outlives `grace`."""
        for running in reversed(self.running):
            _signal_group(running.process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for running in reversed(self.running):
            try:
                running.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._announce(f"{running.service.name} did not stop in time; killing it")
                _signal_group(running.process, signal.SIGKILL)
                running.process.wait()
        self.running.clear()

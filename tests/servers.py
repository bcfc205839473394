"""Start the servers from their own virtual environment, as separate processes.

The servers use the newest `wyoming`; the tests run beside Home Assistant with HA's
pinned `wyoming`. They meet over real TCP sockets on 127.0.0.1, as in a real home.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest_socket

# The runner lives in bench/local_process.py (benchmarks use it too); re-exported here.
from bench.local_process import (
    ROOT,
    RunningServer,
    console_script,
    running_server,
    servers_bin,
)

__all__ = [
    "ROOT",
    "RunningServer",
    "allow_sockets",
    "console_script",
    "run_in_servers_env",
    "running_server",
    "servers_bin",
]


def allow_sockets() -> None:
    """Lift pytest-socket's block for server fixtures wider than one test.

    They start before the function-scoped `socket_enabled` fixture. Tests only use
    127.0.0.1.
    """
    pytest_socket.enable_socket()  # type: ignore[no-untyped-call,unused-ignore]


def run_in_servers_env(script: Path) -> dict[str, Any]:
    """Run a probe script with the servers' Python (from the checkout); its JSON output."""
    result = subprocess.run(
        [str(servers_bin() / "python"), str(script)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    data: dict[str, Any] = json.loads(result.stdout)
    return data

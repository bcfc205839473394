"""The demo instance the browser check logs into.

`script/run`'s own stack on free ports in a temporary run directory (onboarded like a
first start), unless `HYBRID_VOICE_BROWSER_URL` names a running one (e.g. the
`script/run` on http://localhost:8123).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.local_process import free_port
from script.local_stack.settings import Ports, StackSettings
from script.local_stack.stack import LocalStack
from tests.servers import allow_sockets, servers_bin


@dataclass(frozen=True)
class DemoInstance:
    """Where the browser goes, and the settings to reach it through the API."""

    browser_url: str
    settings: StackSettings


def _free_ports() -> Ports:
    return Ports(
        stt=free_port(),
        tts=free_port(),
        llm=free_port(),
        satellite=free_port(),
        home_assistant=free_port(),
        realtime=free_port(),
    )


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoInstance]:
    """A running demo instance (started here unless one is named)."""
    allow_sockets()
    if url := os.environ.get("HYBRID_VOICE_BROWSER_URL"):
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        settings = StackSettings.from_env(ports=Ports(home_assistant=port))
        yield DemoInstance(url, settings)
        return
    run_dir: Path = tmp_path_factory.mktemp("run")
    settings = StackSettings.from_env(
        run_dir=run_dir, ports=_free_ports(), servers_bin=servers_bin()
    )
    stack = LocalStack(settings, print)
    try:
        asyncio.run(stack.start())
        asyncio.run(stack.configure(warm_up=False))
        yield DemoInstance(f"http://localhost:{settings.ports.home_assistant}", settings)
    finally:
        stack.stop()

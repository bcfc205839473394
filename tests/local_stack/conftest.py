"""The run tooling's tests use sockets on 127.0.0.1 (ports, child servers)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Every test here may open loopback sockets."""

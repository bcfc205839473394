"""Checks the hardening tests of the STT server, the TTS server and the satellite share."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from tests.servers import RunningServer

from .campaign import log_problems
from .raw_client import RawClient, types
from .wyoming_framing import event_bytes

# Input the shared event reader must answer with one `bad-request` error, and whether
# the connection can go on afterwards (False: the framing is lost, the server closes it).
UNREADABLE_EVENTS: dict[str, tuple[bytes, bool]] = {
    "lone surrogate in the type": (b'{"type": "\\ud800"}\n', True),
    "lone surrogate in ping text": (b'{"type": "ping", "data": {"text": "a\\udfffb"}}\n', True),
    "lone surrogate in separate data": (
        b'{"type": "ping", "data_length": 18}\n{"text": "\\ud800"}',
        True,
    ),
    "infinite data_length": (b'{"type": "ping", "data_length": 1e999}\n', False),
    "NaN payload_length": (b'{"type": "ping", "payload_length": NaN}\n', False),
    "fractional data_length": (b'{"type": "ping", "data_length": 2.5}\n{}', False),
    "deeply nested data": (
        b'{"type": "ping", "data": {"x": ' + b"[" * 20000 + b"]" * 20000 + b"}}\n",
        True,
    ),
    "infinite number in data": (b'{"type": "ping", "data": {"text": "hi", "n": 1e999}}\n', True),
}


def warnings(server: RunningServer) -> int:
    """WARNING lines the server has logged so far."""
    return sum(" WARNING " in line for line in server.log().splitlines())


async def check_unreadable_event(server: RunningServer, raw: bytes, survives: bool) -> None:
    """`raw` gets one bad-request error and one log line; the connection goes on if it can."""
    before = warnings(server)
    async with RawClient(server.port) as client:
        await client.send(raw)
        error = await client.next_event()
        assert error is not None, "the connection was closed without an error event"
        assert error.type == "error", error
        assert error.data["code"] == "bad-request", error.data
        assert not error.data["text"].startswith("internal"), error.data
        await client.send(event_bytes("describe"))
        after = await client.next_event()
    if survives:
        assert after is not None
        assert after.type == "info"
    else:
        assert after is None, "the stream could not be trusted after that, yet was read on"
    assert warnings(server) == before + 1
    assert log_problems(server.log()) == []


async def check_idle_close(server: RunningServer, sent: bytes) -> None:
    """A client that stops in the middle of `sent` is told so (once) and disconnected."""
    before = server.log().count("no data for")
    async with RawClient(server.port) as client:
        await client.send(sent)
        events = await client.rest()
    assert types(events)[-1:] == ["error"], types(events)
    assert events[-1].data["code"] == "timeout"
    assert "no data for" in events[-1].data["text"]
    assert server.log().count("no data for") == before + 1


async def wait_for_log(server: RunningServer, found: Callable[[str], bool], limit: float) -> bool:
    """Until `found(log)` holds or `limit` seconds have passed; whether it held."""
    deadline = time.monotonic() + limit
    while not found(server.log()):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True

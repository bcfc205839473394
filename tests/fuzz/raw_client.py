"""A Wyoming client that can send anything, byte for byte, and read what comes back."""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType
from typing import Any

from wyoming.event import Event, async_read_event

from .wyoming_framing import JsonLike, event_bytes

ANSWER_LIMIT = 30.0  # seconds: a server that has said nothing by then is stuck


class RawClient:
    """One TCP connection to a server on 127.0.0.1; use as `async with`."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> RawClient:
        self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def reader(self) -> asyncio.StreamReader:
        """The connection's reading side."""
        assert self._reader is not None, "not connected"
        return self._reader

    async def send(self, data: bytes) -> None:
        """Write raw bytes."""
        assert self._writer is not None, "not connected"
        self._writer.write(data)
        await self._writer.drain()

    async def send_event(self, event_type: str, data: dict[str, Any] | None = None) -> None:
        """Write one well-formed event."""
        body: JsonLike = data
        await self.send(event_bytes(event_type, body))

    async def next_event(self, limit: float = ANSWER_LIMIT) -> Event | None:
        """The next event; None when the server closed the connection.

        Raises TimeoutError when nothing came within `limit` seconds.
        """
        try:
            async with asyncio.timeout(limit):
                event: Event | None = await async_read_event(self.reader)
        except (ConnectionError, asyncio.IncompleteReadError):
            return None
        return event

    async def read_until(self, last: str, limit: float = ANSWER_LIMIT) -> list[Event]:
        """Events up to and including one of type `last` (audio chunks included)."""
        events: list[Event] = []
        while True:
            event = await self.next_event(limit)
            assert event is not None, f"connection closed before '{last}'; got {types(events)}"
            events.append(event)
            if event.type == last:
                return events

    async def rest(self, limit: float = ANSWER_LIMIT) -> list[Event]:
        """Every event until the server closes the connection."""
        events: list[Event] = []
        while (event := await self.next_event(limit)) is not None:
            events.append(event)
        return events

    async def close(self) -> None:
        """Close the connection (idempotent)."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


def types(events: list[Event]) -> list[str]:
    """Event types in order, audio chunks left out."""
    return [event.type for event in events if event.type != "audio-chunk"]

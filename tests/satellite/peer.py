"""Home Assistant's side of the satellite protocol, driven by hand (no `hass`).

Uses the `wyoming` package of Home Assistant's own environment, so the events are the
ones HA 2025.4 sends and parses.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

from wyoming.event import Event, async_read_event, async_write_event
from wyoming.satellite import RunSatellite


class FakeHomeAssistant:
    def __init__(self, port: int) -> None:
        self.port = port
        self.audio_chunks = 0
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> FakeHomeAssistant:
        self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._writer is not None:
            self._writer.close()

    async def run_satellite(self) -> None:
        await self.send(RunSatellite().event())

    async def send(self, event: Event) -> None:
        assert self._writer is not None
        await async_write_event(event, self._writer)

    async def send_raw(self, data: bytes) -> None:
        assert self._writer is not None
        self._writer.write(data)
        await self._writer.drain()

    async def expect(self, *types: str, limit: float = 30.0) -> Event | None:
        """The next event of one of `types` (audio chunks are counted, not returned),
        or None if the connection closed or nothing came within `limit` seconds."""
        assert self._reader is not None
        try:
            async with asyncio.timeout(limit):
                while True:
                    event = await async_read_event(self._reader)
                    if event is None:
                        return None
                    if event.type == "audio-chunk" and "audio-chunk" not in types:
                        self.audio_chunks += 1
                    elif event.type in types:
                        return event
        except TimeoutError:
            return None

    async def collect(self, *types: str, limit: float = 30.0) -> dict[str, Event]:
        """The first event of each of `types`, in whatever order they come."""
        found: dict[str, Event] = {}
        while len(found) < len(types):
            event = await self.expect(*(t for t in types if t not in found), limit=limit)
            if event is None:
                break
            found[event.type] = event
        return found

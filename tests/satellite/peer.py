"""Home Assistant's side of the satellite protocol, driven by hand (no `hass`).

Uses the `wyoming` package of Home Assistant's own environment, so the events are the
ones HA 2025.4 sends and parses.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

import numpy as np
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.event import Event, async_read_event, async_write_event
from wyoming.info import Describe, Info
from wyoming.satellite import RunSatellite
from wyoming.tts import Synthesize

SATELLITE = "hybrid-voice-satellite"


class FakeHomeAssistant:
    """One connection to the satellite, speaking as Home Assistant does."""

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
        """The next event of one of `types` (audio chunks are counted, not returned).

        None if the connection closed or nothing came within `limit` seconds.
        """
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

    async def audio_chunks_reach(self, count: int, limit: float = 30.0) -> bool:
        """Read until `count` audio chunks have come in all; False if closed or too slow."""
        while self.audio_chunks < count:
            event = await self.expect("audio-chunk", limit=limit)
            if event is None:
                return False
            self.audio_chunks += 1
        return True

    async def closed(self, limit: float = 30.0) -> bool:
        """Whether the satellite closes this connection (other events are skipped)."""
        assert self._reader is not None
        try:
            async with asyncio.timeout(limit):
                while await async_read_event(self._reader) is not None:
                    pass
        except TimeoutError:
            return False
        except ConnectionError:
            pass
        return True

    async def collect(self, *types: str, limit: float = 30.0) -> dict[str, Event]:
        """The first event of each of `types`, in whatever order they come."""
        found: dict[str, Event] = {}
        while len(found) < len(types):
            event = await self.expect(*(t for t in types if t not in found), limit=limit)
            if event is None:
                break
            found[event.type] = event
        return found


async def describe(port: int) -> Info:
    """The satellite's answer to `describe`, on a connection of its own."""
    async with FakeHomeAssistant(port) as ha:
        await ha.send(Describe().event())
        event = await ha.expect("info")
    assert event is not None
    return Info.from_event(event)


def tone(seconds: float, rate: int = 22050, channels: int = 1) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    mono = (0.2 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2")
    return np.repeat(mono, channels).tobytes()


async def send_reply(
    ha: FakeHomeAssistant, pcm: bytes, rate: int = 22050, channels: int = 1
) -> None:
    await ha.send(Synthesize(text="Here is a long answer.").event())
    await ha.send(AudioStart(rate=rate, width=2, channels=channels).event())
    step = 2048 * channels
    for start in range(0, len(pcm), step):
        await ha.send(
            AudioChunk(
                rate=rate, width=2, channels=channels, audio=pcm[start : start + step]
            ).event()
        )
    await ha.send(AudioStop().event())

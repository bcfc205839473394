"""A Wyoming speech-to-text client for the tests, over a real TCP connection."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from wyoming.asr import Transcribe
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.event import Event

from tests.stt.speech import Clip

TERMINAL = ("transcript-stop", "error")


@dataclass
class Reply:
    events: list[Event] = field(default_factory=list)

    @property
    def types(self) -> list[str]:
        return [event.type for event in self.events]

    @property
    def transcript(self) -> str:
        [text] = [e.data["text"] for e in self.events if e.type == "transcript"]
        return str(text)

    @property
    def chunks(self) -> list[str]:
        return [str(e.data["text"]) for e in self.events if e.type == "transcript-chunk"]

    def first(self, event_type: str) -> dict[str, Any]:
        return next(e.data for e in self.events if e.type == event_type)


async def send_clip(
    client: AsyncTcpClient,
    clip: Clip,
    chunk_seconds: float = 0.064,
    paced: bool = False,
    stop: bool = True,
) -> None:
    """AudioStart, the clip in chunks (at real-time pace if `paced`), then AudioStop."""
    fmt = {"rate": clip.rate, "width": clip.width, "channels": clip.channels}
    await client.write_event(AudioStart(**fmt).event())
    await send_chunks(client, clip, chunk_seconds, paced)
    if stop:
        await client.write_event(AudioStop().event())


async def send_chunks(
    client: AsyncTcpClient, clip: Clip, chunk_seconds: float = 0.064, paced: bool = False
) -> None:
    """The clip's audio in chunks of `chunk_seconds` (at real-time pace if `paced`)."""
    fmt = {"rate": clip.rate, "width": clip.width, "channels": clip.channels}
    step = max(1, round(chunk_seconds * clip.rate)) * clip.width * clip.channels
    for offset in range(0, len(clip.pcm), step):
        await client.write_event(AudioChunk(audio=clip.pcm[offset : offset + step], **fmt).event())
        if paced:
            await asyncio.sleep(chunk_seconds)


async def read_reply(
    client: AsyncTcpClient, seconds: float = 60.0, first_chunk: asyncio.Event | None = None
) -> Reply:
    """Events up to transcript-stop or an error; sets `first_chunk` at the first piece."""
    reply = Reply()
    async with asyncio.timeout(seconds):
        while True:
            event = await client.read_event()
            if event is None:
                break
            reply.events.append(event)
            if event.type == "transcript-chunk" and first_chunk is not None:
                first_chunk.set()
            if event.type in TERMINAL:
                break
    return reply


async def transcribe(
    port: int, clip: Clip, language: str | None = None, paced: bool = False
) -> Reply:
    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Transcribe(language=language).event())
        await send_clip(client, clip, paced=paced)
        return await read_reply(client)


async def request(port: int, *events: Event) -> Event | None:
    """Send events on a fresh connection; the first answer (None: closed)."""
    async with AsyncTcpClient("127.0.0.1", port) as client:
        for event in events:
            await client.write_event(event)
        async with asyncio.timeout(30):
            answer: Event | None = await client.read_event()
        return answer

"""A small Wyoming text-to-speech client for the tests, plus ways to check audio.

It runs beside Home Assistant with HA's own `wyoming` package, builds the streaming
events by hand (HA's pinned version predates them), and reads with a per-event timeout
as real clients do, so a stalled server fails the test instead of hanging it.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import wave
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from wyoming.client import AsyncTcpClient
from wyoming.event import Event

from tests.servers import servers_bin

RATE, WIDTH, CHANNELS = 22050, 2, 1
EVENT_TIMEOUT = 60.0  # seconds to wait for any single event


@dataclass
class Reply:
    """Everything a client received for one request."""

    types: list[str] = field(default_factory=list)  # non-audio-chunk event types, in order
    audio: bytearray = field(default_factory=bytearray)
    formats: set[tuple[int, int, int]] = field(default_factory=set)
    errors: list[dict[str, str]] = field(default_factory=list)
    chunks: int = 0
    last: Event | None = None  # the event that ended the reply

    @property
    def seconds(self) -> float:
        return len(self.audio) / (RATE * WIDTH * CHANNELS)

    def add(self, event: Event) -> None:
        if event.type == "audio-chunk":
            self.chunks += 1
            self.audio += event.payload or b""
        else:
            self.types.append(event.type)
        if event.type in ("audio-start", "audio-chunk"):
            data = event.data
            self.formats.add((data["rate"], data["width"], data["channels"]))
        if event.type == "error":
            self.errors.append(event.data)


def synthesize_event(text: str, voice: dict[str, str] | None = None) -> Event:
    data: dict[str, object] = {"text": text}
    if voice is not None:
        data["voice"] = voice
    return Event("synthesize", data)


def stream_events(chunks: Iterable[str]) -> list[Event]:
    return [
        Event("synthesize-start", {}),
        *(Event("synthesize-chunk", {"text": chunk}) for chunk in chunks),
        Event("synthesize-stop", {}),
    ]


async def read_until(client: AsyncTcpClient, last: str, reply: Reply | None = None) -> Reply:
    """Read events into a Reply until an event of type `last` arrives."""
    reply = reply or Reply()
    while True:
        event = await asyncio.wait_for(client.read_event(), EVENT_TIMEOUT)
        assert event is not None, f"connection closed before {last}; got {reply.types}"
        reply.add(event)
        if event.type == last:
            reply.last = event
            return reply


async def request(port: int, events: list[Event], last: str) -> Reply:
    """Send `events` on a new connection and read the answer up to `last`."""
    async with AsyncTcpClient("127.0.0.1", port) as client:
        for event in events:
            await client.write_event(event)
        return await read_until(client, last)


async def speak(port: int, text: str) -> Reply:
    return await request(port, [synthesize_event(text)], "audio-stop")


def rms(audio: bytes | bytearray) -> float:
    """Root mean square of 16-bit samples, without numpy."""
    samples = memoryview(bytes(audio)).cast("h")
    if not samples:
        return 0.0
    return float((sum(s * s for s in samples[::7]) / len(samples[::7])) ** 0.5)


def transcribe(audio: bytes | bytearray, work_dir: Path) -> str:
    """What Whisper (tiny.en, from the servers' environment) hears in 22050 Hz PCM."""
    wav_path = work_dir / "speech.wav"
    with wave.open(str(wav_path), "wb") as wav:
        wav.setframerate(RATE)
        wav.setsampwidth(WIDTH)
        wav.setnchannels(CHANNELS)
        wav.writeframes(bytes(RATE * WIDTH) + bytes(audio))  # a second of leading silence
    result = subprocess.run(
        [str(servers_bin() / "python"), "-c", _TRANSCRIBE, str(wav_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    text: str = json.loads(result.stdout.strip().splitlines()[-1])
    return text


_TRANSCRIBE = """
import json, sys, wave
import numpy as np, soxr
from faster_whisper import WhisperModel
from wyoming_shared.model_paths import resolve_model
with wave.open(sys.argv[1]) as wav:
    pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
audio = soxr.resample(pcm.astype(np.float32) / 32768, 22050, 16000)
model = WhisperModel(str(resolve_model("whisper-tiny.en")), compute_type="int8", cpu_threads=2)
segments, _ = model.transcribe(audio, beam_size=1, language="en")
print(json.dumps(" ".join(s.text.strip() for s in segments)))
"""

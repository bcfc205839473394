"""Timed Wyoming requests, made the way Home Assistant makes them.

Speech-to-text: transcribe, audio-start, the clip's audio in chunks, audio-stop. With
`realtime` the chunks go out at the pace a microphone delivers them: each chunk is sent
once its last sample has been "spoken" (a 1024-sample chunk every 64 ms at 16 kHz), so a
server that decodes while audio arrives can do so. The latency is the time from sending
audio-stop to receiving the `transcript`.

Text-to-speech: one `synthesize` (what Home Assistant 2025.4 sends), or a stream
(synthesize-start, the text in word-sized synthesize-chunks, the full-text `synthesize`
for older servers, synthesize-stop), as newer Home Assistant versions send an LLM reply.
Timed from the first event written to the first audio chunk and to the end of the audio.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeStopped,
)

from bench.speech_corpus import Clip, realtime_schedule

HOST = "127.0.0.1"
CHUNK_SAMPLES = 1024
STT_TIMEOUT = 60.0  # seconds for a whole request, audio included
TTS_TIMEOUT = 120.0


class RequestFailed(Exception):
    """The server answered with an error or closed the connection early."""


@dataclass(frozen=True)
class SttResult:
    """One transcription: the text and its timings."""

    text: str
    latency: float  # audio-stop sent -> transcript received, seconds
    total: float  # first event sent -> transcript received


@dataclass(frozen=True)
class TtsResult:
    """One synthesis and its timings."""

    first_audio: float  # request sent -> first audio chunk received, seconds
    total: float  # request sent -> end of audio
    audio_seconds: float


async def transcribe(port: int, clip: Clip, *, realtime: bool) -> SttResult:
    """Stream `clip` (in real time, or at once); time the transcript."""
    async with asyncio.timeout(STT_TIMEOUT), AsyncTcpClient(HOST, port) as client:
        began = time.monotonic()
        await client.write_event(Transcribe(language="en").event())
        await client.write_event(AudioStart(rate=clip.rate, width=2, channels=1).event())
        for start, end, due in realtime_schedule(len(clip.samples) // 2, CHUNK_SAMPLES, clip.rate):
            if realtime:
                delay = began + due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            chunk = clip.samples[start * 2 : end * 2]
            await client.write_event(
                AudioChunk(rate=clip.rate, width=2, channels=1, audio=chunk).event()
            )
        stopped = time.monotonic()
        await client.write_event(AudioStop().event())
        while True:
            event = await client.read_event()
            if event is None:
                raise RequestFailed("connection closed before the transcript")
            if Error.is_type(event.type):
                raise RequestFailed(f"error: {Error.from_event(event).text}")
            if Transcript.is_type(event.type):
                now = time.monotonic()
                text = Transcript.from_event(event).text
                return SttResult(text=text, latency=now - stopped, total=now - began)


async def synthesize(port: int, text: str, *, streaming: bool) -> TtsResult:
    """Synthesize `text` (streamed or whole); time it."""
    async with asyncio.timeout(TTS_TIMEOUT), AsyncTcpClient(HOST, port) as client:
        began = time.monotonic()
        if streaming:
            await client.write_event(SynthesizeStart().event())
            for word in _words(text):
                await client.write_event(SynthesizeChunk(text=word).event())
            await client.write_event(Synthesize(text=text).event())
            await client.write_event(SynthesizeStop().event())
        else:
            await client.write_event(Synthesize(text=text).event())
        first: float | None = None
        audio_bytes = 0
        rate = width = channels = 0
        while True:
            event = await client.read_event()
            if event is None:
                raise RequestFailed("connection closed before the end of the audio")
            if Error.is_type(event.type):
                raise RequestFailed(f"error: {Error.from_event(event).text}")
            if AudioChunk.is_type(event.type):
                chunk = AudioChunk.from_event(event)
                if first is None:
                    first = time.monotonic() - began
                audio_bytes += len(chunk.audio)
                rate, width, channels = chunk.rate, chunk.width, chunk.channels
            finished = SynthesizeStopped if streaming else AudioStop
            if finished.is_type(event.type):
                if first is None or rate == 0:
                    raise RequestFailed("no audio")
                return TtsResult(
                    first_audio=first,
                    total=time.monotonic() - began,
                    audio_seconds=audio_bytes / (rate * width * channels),
                )


def _words(text: str) -> list[str]:
    """Word-sized pieces that join back to `text`, like an LLM's deltas."""
    words = text.split(" ")
    return [word if i == 0 else " " + word for i, word in enumerate(words)]

"""One utterance, decoded while it is still being spoken.

Audio is split into spans at pauses. As soon as the speaker has been silent for
`SPECULATE_AFTER` seconds, the current span is decoded speculatively. If no more
speech follows, that result is the transcript: when AudioStop arrives it is ready or
nearly ready. If speech resumes after a long pause (`COMMIT_PAUSE`), the decoded span
is committed (its text can be streamed right away) and a new span begins; after a
short pause the speculation is dropped and the span simply grows. Only speech plus a
little context around it is decoded, so leading and trailing silence cost nothing.

Audio that arrives much faster than real time (a client sending a recording) is not
decoded ahead: its AudioStop is only milliseconds away, and a decode started on a
pause inside it would only delay the final one.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Final

import numpy as np

from wyoming_shared.audio import Samples

from .decode_queue import DecodeJob, DecodeQueue, ServerBusy
from .transcriber import Decoded
from .vad import RATE, SpeechDetector

SPECULATE_AFTER: Final = 0.3  # seconds of silence before decoding ahead
COMMIT_PAUSE: Final = 0.8  # a pause at least this long ends a span
PRE_ROLL: Final = int(1.0 * RATE)  # audio kept before a span's first speech
POST_ROLL: Final = int(0.8 * RATE)  # audio kept after a span's last speech
LIVE_PACE: Final = 0.5  # audio arriving at least this fraction of real time is live


class AudioTooLong(Exception):
    """The utterance is longer than the server accepts."""


@dataclass
class _Span:
    job: DecodeJob
    end: int  # samples decoded
    committed: bool = False


class UtteranceDecoder:
    """Decodes one utterance as it arrives: speculatively per finished phrase, then finally."""

    def __init__(
        self, queue: DecodeQueue, language: str | None, max_seconds: float, timeout: float
    ) -> None:
        self._queue = queue
        self._language = language
        self._max_samples = int(max_seconds * RATE)
        self._timeout = timeout
        self._audio = np.zeros(5 * RATE, dtype=np.float32)
        self._size = 0
        self._vad = SpeechDetector()
        self._span_start = 0
        self._span_speech: int | None = None  # first speech of the current span
        self._onsets_seen = 0
        self._speculation: _Span | None = None
        self._committed: list[_Span] = []
        self._emitted = 0
        self._began = time.monotonic()

    @property
    def seconds(self) -> float:
        """Seconds of audio received so far."""
        return self._size / RATE

    def add(self, samples: Samples) -> None:
        """Append 16 kHz mono audio; may start or settle decodes."""
        if self._size + samples.size > self._max_samples:
            raise AudioTooLong(f"audio is longer than {self._max_samples / RATE:.0f} s")
        if self._size + samples.size > self._audio.size:
            grown = np.zeros(max(self._audio.size * 2, self._size + samples.size), np.float32)
            grown[: self._size] = self._audio[: self._size]
            self._audio = grown
        self._audio[self._size : self._size + samples.size] = samples
        self._size += samples.size
        self._vad.feed(samples)
        if self._span_speech is None and self._vad.first_speech is not None:
            self._span_speech = self._vad.first_speech
        self._settle_onsets()
        self._speculate()

    def _settle_onsets(self) -> None:
        for onset, previous_end in self._vad.onsets[self._onsets_seen :]:
            span = self._speculation
            if span is not None and span.end <= onset:
                self._speculation = None
                if onset - previous_end >= COMMIT_PAUSE * RATE and span.end >= previous_end:
                    span.committed = True
                    self._committed.append(span)
                    self._span_start, self._span_speech = span.end, onset
                else:
                    span.job.cancel()
        self._onsets_seen = len(self._vad.onsets)

    def _speculate(self) -> None:
        vad = self._vad
        if (
            self._speculation is not None
            or not vad.speech_after(self._span_start)
            or vad.silence_seconds() < SPECULATE_AFTER
            or not self._queue.idle
            or time.monotonic() - self._began < LIVE_PACE * self.seconds
        ):
            return
        end = vad.position
        span = _Span(self._queue.submit(*self._request(end), speculative=True), end)
        span.job.wanted = lambda: span.committed or not vad.speech_after(span.end)
        self._speculation = span

    def _request(self, end: int) -> tuple[Samples, str | None, str | None]:
        """Audio, language and prompt to decode the current span up to `end`."""
        speech = self._span_speech if self._span_speech is not None else self._span_start
        start = max(self._span_start, speech - PRE_ROLL)
        stop = min(end, self._vad.speech_end + POST_ROLL)
        audio = self._audio[start:stop].copy()
        done = [s.job.future.result() for s in self._committed if _succeeded(s.job)]
        prompt = " ".join(d.text for d in done if d.text) or None
        language = self._language or next((d.language for d in done if d.language), None)
        return audio, language, prompt

    async def finish(self) -> Decoded:
        """The whole transcript, once every span is decoded."""
        spans = list(self._committed)
        tail = self._speculation
        if tail is not None and self._vad.speech_after(tail.end):
            tail.job.cancel()
            tail = None
        if tail is None and self._vad.speech_after(self._span_start):
            tail = _Span(self._queue.submit(*self._request(self._size)), self._size)
        if tail is not None:
            tail.committed = True
            spans.append(tail)
            self._committed.append(tail)
        self._speculation = None
        try:
            async with asyncio.timeout(self._timeout):
                results = [await self._result(span) for span in spans]
        except TimeoutError:
            self.cancel()
            raise ServerBusy(f"no result within {self._timeout:.0f} s: server busy") from None
        text = " ".join(r.text for r in results if r.text)
        language = self._language or next((r.language for r in results if r.language), None)
        return Decoded(text, language)

    async def _result(self, span: _Span) -> Decoded:
        """Wait for a span; a speculative job not yet running becomes a final one."""
        job = span.job
        if (job.speculative and not job.started) or job.future.cancelled():
            job.cancel()
            span.job = self._queue.submit(job.audio, job.language, job.prompt)
        return await span.job.future

    def take_new_text(self) -> str:
        """Text of committed spans decoded since the last call, in order."""
        pieces: list[str] = []
        while self._emitted < len(self._committed):
            job = self._committed[self._emitted].job
            if not job.future.done():
                break
            if _succeeded(job) and job.future.result().text:
                pieces.append(job.future.result().text)
            self._emitted += 1
        return " ".join(pieces)

    def cancel(self) -> None:
        """Drop queued work and the audio (client gone or request replaced)."""
        for span in [*self._committed, *([self._speculation] if self._speculation else [])]:
            span.job.cancel()
        self._speculation = None
        self._audio = np.zeros(0, dtype=np.float32)
        self._size = 0


def _succeeded(job: DecodeJob) -> bool:
    return job.future.done() and not job.future.cancelled() and job.future.exception() is None

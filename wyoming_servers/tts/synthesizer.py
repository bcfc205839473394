"""Runs piper off the event loop, piece by piece, in arrival order.

Each piece runs on up to `threads` onnxruntime threads (spinning off: a waiting
thread sleeps instead of burning a CPU that speech-to-text or the local model could
use). Up to `threads` pieces run at once, but a piece starts
beside a running one only while other processes leave enough CPUs free (CpuGauge);
otherwise it waits its turn, first come first served. A request puts its next piece
in early only while nobody waits and a CPU is free (look_ahead.py); otherwise it submits
it after the previous one is done, so a long text takes turns with short requests
instead of blocking them.

Memory during synthesis grows with the length of the audio made in one model run
(about 24 MB per second of speech on top of the ~145 MB the loaded voice needs), so no
run gets more than MAX_PHONEMES phonemes (about six seconds of speech): longer
sentences, e.g. ones full of spelled-out numbers, are cut at a word break. For the
same reason pieces run at once only while together they have at most
CONCURRENT_CHARS characters: two short sentences overlap, two long ones take turns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from piper.config import PhonemeType

from wyoming_shared.cpu_budget import CpuGauge

from .voices import Voice

_LOGGER = logging.getLogger(__name__)

SAMPLE_WIDTH = 2  # bytes, 16-bit signed PCM
CHANNELS = 1
WARM_UP_TEXT = "Ready."
MAX_PHONEMES = 120
CONCURRENT_CHARS = 140  # about one longest run's worth of audio (bench/server_memory.py)


class Synthesizer:
    """Turns one piece of text into 16-bit mono PCM with a loaded voice."""

    def __init__(self, threads: int = 1, gauge: CpuGauge | None = None) -> None:
        self.threads = max(1, threads)
        self._gauge = gauge or CpuGauge()
        self._executor = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="piper")
        self._running = 0
        self._chars = 0  # characters of the pieces running
        self._waiting: deque[tuple[asyncio.Future[None], int]] = deque()

    async def speak(self, voice: Voice, text: str, speaker_id: int | None = None) -> bytes:
        """PCM for `text`; cancelling the await drops the piece if it has not started."""
        self._gauge.start()
        chars = len(text)
        await self._turn(chars)
        loop = asyncio.get_running_loop()
        try:
            job = self._executor.submit(_synthesize, voice, text, speaker_id)
        except BaseException:
            self._finished(chars)
            raise
        job.add_done_callback(lambda _: _call_soon(loop, self._finished, chars))
        return await asyncio.wrap_future(job)

    def has_room(self, chars: int) -> bool:
        """A piece of `chars` characters would start at once: nobody waits, a CPU is free."""
        return not self._waiting and self._may_start(chars)

    def _may_start(self, chars: int) -> bool:
        if self._running == 0:
            return True
        return self._chars + chars <= CONCURRENT_CHARS and self._running < min(
            self.threads, round(self._gauge.free())
        )

    def _start(self, chars: int) -> None:
        self._running += 1
        self._chars += chars

    async def _turn(self, chars: int) -> None:
        """Wait until a piece of `chars` characters may start: first come, first served."""
        if not self._waiting and self._may_start(chars):
            self._start(chars)
            return
        turn = asyncio.get_running_loop().create_future()
        self._waiting.append((turn, chars))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._finished(chars)  # the turn was granted as the wait was cancelled
            elif (turn, chars) in self._waiting:
                self._waiting.remove((turn, chars))
            raise

    def _finished(self, chars: int) -> None:
        self._running -= 1
        self._chars -= chars
        self._wake()

    def _wake(self) -> None:
        while self._waiting and self._may_start(self._waiting[0][1]):
            turn, chars = self._waiting.popleft()
            if not turn.done():
                self._start(chars)
                turn.set_result(None)

    def warm_up(self, voice: Voice) -> None:
        """Run the voice once on every worker thread, so no request pays for initialisation.

        All worker threads start here, so the server's thread count stays as it is now.
        """
        ready = threading.Barrier(self.threads)

        def together() -> bytes:
            ready.wait(timeout=60)
            return _synthesize(voice, WARM_UP_TEXT, None)

        jobs: list[Future[bytes]] = [self._executor.submit(together) for _ in range(self.threads)]
        for job in jobs:
            job.result()

    def close(self) -> None:
        """Stop the synthesis threads; queued work is dropped."""
        self._executor.shutdown(wait=False, cancel_futures=True)


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[[int], None], arg: int) -> None:
    """Run `callback(arg)` on the event loop, unless the loop has already closed."""
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(callback, arg)


def bounded_runs(voice: Voice, text: str, limit: int = MAX_PHONEMES) -> list[str]:
    """`text` itself, or raw-phoneme blocks of at most `limit` phonemes that say the same."""
    if voice.piper.config.phoneme_type != PhonemeType.ESPEAK:
        return [text]
    sentences = voice.piper.phonemize(text)
    if all(len(phonemes) <= limit for phonemes in sentences):
        return [text]
    runs: list[str] = []
    for phonemes in sentences:
        rest = list(phonemes)
        while rest:
            cut = len(rest)
            if cut > limit:
                spaces = [i for i, p in enumerate(rest[:limit]) if p == " " and i > limit // 3]
                cut = spaces[-1] if spaces else limit
            runs.append("[[" + "".join(rest[:cut]).strip() + "]]")
            rest = rest[cut:]
    return runs


def plain_text(text: str) -> str:
    """Text as piper should read it: no control characters, no raw-phoneme [[ ]] blocks."""
    text = "".join(c if c.isprintable() else " " for c in text)
    while "[[" in text or "]]" in text:
        text = text.replace("[[", "[").replace("]]", "]")
    return text


def _synthesize(voice: Voice, text: str, speaker_id: int | None) -> bytes:
    config = voice.synthesis_config(speaker_id)
    parts = [
        chunk.audio_int16_array
        for run in bounded_runs(voice, plain_text(text))
        for chunk in voice.piper.synthesize(run, config)
    ]
    if not parts:
        return b""
    audio: bytes = np.concatenate(parts).tobytes()
    return audio

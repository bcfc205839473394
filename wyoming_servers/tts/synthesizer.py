"""Runs piper off the event loop, one piece at a time, in arrival order.

All connections share one worker thread: on a small machine two syntheses at once
only slow each other down. A connection submits its next piece only after the previous
one is done, so a long text takes turns with short requests instead of blocking them.

Memory during synthesis grows with the length of the audio made in one model run
(about 24 MB per second of speech on top of the ~145 MB the loaded voice needs), so no
run gets more than MAX_PHONEMES phonemes (about six seconds of speech): longer
sentences, e.g. ones full of spelled-out numbers, are cut at a word break.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from piper.config import PhonemeType

from .voices import Voice

_LOGGER = logging.getLogger(__name__)

SAMPLE_WIDTH = 2  # bytes, 16-bit signed PCM
CHANNELS = 1
WARM_UP_TEXT = "Ready."
MAX_PHONEMES = 120


class Synthesizer:
    """Turns one piece of text into 16-bit mono PCM with a loaded voice."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="piper")

    async def speak(self, voice: Voice, text: str, speaker_id: int | None = None) -> bytes:
        """PCM for `text`; cancelling the await drops the piece if it has not started."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _synthesize, voice, text, speaker_id)

    def warm_up(self, voice: Voice) -> None:
        """Run the voice once so the first real request does not pay for initialisation."""
        self._executor.submit(_synthesize, voice, WARM_UP_TEXT, None).result()

    def close(self) -> None:
        """Stop the synthesis threads; queued work is dropped."""
        self._executor.shutdown(wait=False, cancel_futures=True)


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

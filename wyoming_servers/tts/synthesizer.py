"""Runs piper off the event loop, one piece at a time, in arrival order.

All connections share one worker thread: on a small machine two syntheses at once
only slow each other down. A connection submits its next piece only after the previous
one is done, so a long text takes turns with short requests instead of blocking them.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .voices import Voice

_LOGGER = logging.getLogger(__name__)

SAMPLE_WIDTH = 2  # bytes, 16-bit signed PCM
CHANNELS = 1
WARM_UP_TEXT = "Ready."


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
        self._executor.shutdown(wait=False, cancel_futures=True)


def _synthesize(voice: Voice, text: str, speaker_id: int | None) -> bytes:
    config = voice.synthesis_config(speaker_id)
    parts = [chunk.audio_int16_array for chunk in voice.piper.synthesize(text, config)]
    if not parts:
        return b""
    audio: bytes = np.concatenate(parts).tobytes()
    return audio

"""Streaming voice activity detection on 16 kHz float32 mono audio.

Silero VAD (the ONNX model that faster-whisper ships) scores every 32 ms window; the
recurrent state is carried across calls so audio can be fed in any chunk size. The
detector keeps only where speech was, never the audio.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from faster_whisper.vad import get_vad_model  # type: ignore[import-untyped]

from wyoming_shared.audio import Samples

RATE: Final = 16_000
WINDOW: Final = 512  # samples the model scores at once
CONTEXT: Final = 64  # samples of the previous window the model sees again
_STATE_SHAPE: Final = (1, 1, 128)


class SpeechDetector:
    """Feed audio; read where the speech started and ended (sample positions)."""

    def __init__(self, threshold: float = 0.5, neg_threshold: float = 0.35) -> None:
        self.threshold = threshold
        self.neg_threshold = neg_threshold
        self._session: Any = get_vad_model().session
        self._h = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self._c = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)
        self._in_speech = False
        self.position = 0  # samples scored so far
        self.first_speech: int | None = None  # start of the first speech window
        self.speech_end = 0  # end of the last speech window
        self.onsets: list[tuple[int, int]] = []  # (onset, end of the speech before it)

    @property
    def heard_speech(self) -> bool:
        """Whether any speech window has been seen."""
        return self.first_speech is not None

    def speech_after(self, sample: int) -> bool:
        """Whether any speech window ends after `sample`."""
        return self.heard_speech and self.speech_end > sample

    def silence_seconds(self) -> float:
        """Silence since the last speech (0 while speaking or before any speech)."""
        if not self.heard_speech or self._in_speech:
            return 0.0
        return (self.position - self.speech_end) / RATE

    def feed(self, samples: Samples) -> None:
        """Score 16 kHz samples window by window; a partial window waits for the next call."""
        audio = np.concatenate([self._pending, samples]) if self._pending.size else samples
        count = audio.size // WINDOW
        self._pending = audio[count * WINDOW :].copy()
        if count == 0:
            return
        windows = audio[: count * WINDOW].reshape(count, WINDOW)
        contexts = np.empty((count, CONTEXT), dtype=np.float32)
        contexts[0] = self._context
        contexts[1:] = windows[:-1, -CONTEXT:]
        self._context = windows[-1, -CONTEXT:].copy()
        batch = np.concatenate([contexts, windows], axis=1)
        probabilities, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        for probability in np.asarray(probabilities).reshape(-1):
            self._score(float(probability))

    def _score(self, probability: float) -> None:
        start = self.position
        self.position += WINDOW
        if probability >= self.threshold or (self._in_speech and probability >= self.neg_threshold):
            if not self._in_speech:
                if self.first_speech is None:
                    self.first_speech = start
                else:
                    self.onsets.append((start, self.speech_end))
            self._in_speech = True
            self.speech_end = self.position
        else:
            self._in_speech = False

"""Whisper decoding sized to the utterance.

Whisper was trained on 30 s windows, and faster-whisper always pads audio to 30 s, so a
2 s command costs as much as a 30 s one. CTranslate2 accepts shorter inputs: we encode
the utterance plus a few seconds of padding (at least `min_window` seconds), which is
several times cheaper. Decoding runs with timestamps so text the model places in the
padding (a short window sometimes makes it repeat itself there) can be dropped. When a
result still looks wrong (empty, repetitive or improbable), or the audio is longer than
one window, the standard 30 s faster-whisper path decides. A short stretch of digital silence
after the audio tells the model the utterance is over, which matters when a decode
starts early, a fraction of a second into the speaker's pause.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import ctranslate2  # type: ignore[import-untyped]
import numpy as np
from faster_whisper import WhisperModel  # type: ignore[import-untyped]
from faster_whisper.tokenizer import Tokenizer  # type: ignore[import-untyped]
from faster_whisper.transcribe import (  # type: ignore[import-untyped]
    get_compression_ratio,
    get_suppressed_tokens,
)

from wyoming_shared.audio import Samples

_LOGGER = logging.getLogger(__name__)

RATE: Final = 16_000
FRAMES_PER_SECOND: Final = 100  # mel frames
FULL_WINDOW_SECONDS: Final = 30
DEFAULT_MIN_WINDOW: Final = 10.0
PADDING_SECONDS: Final = 3
TAIL_SECONDS: Final = 0.5  # digital silence after the audio: the utterance has ended
LONG_AUDIO_SECONDS: Final = FULL_WINDOW_SECONDS - PADDING_SECONDS
SECONDS_PER_TIMESTAMP: Final = 0.02
MAX_COMPRESSION_RATIO: Final = 2.4
MIN_AVG_LOGPROB: Final = -1.0
NO_SPEECH_PROBABILITY: Final = 0.6


@dataclass(frozen=True)
class Decoded:
    """What Whisper heard, and the language it heard it in."""

    text: str
    language: str | None


class WhisperTranscriber:
    """One loaded Whisper model; `decode` is thread-safe (CTranslate2 replicas)."""

    def __init__(
        self,
        model_dir: Path,
        threads: int,
        workers: int = 1,
        min_window: float = DEFAULT_MIN_WINDOW,
    ) -> None:
        self.name = model_dir.name
        self.min_window = min(max(min_window, 1.0), FULL_WINDOW_SECONDS)
        self._model = WhisperModel(
            str(model_dir),
            device="cpu",
            compute_type="int8",
            cpu_threads=threads,
            num_workers=workers,
        )
        self.multilingual: bool = self._model.model.is_multilingual
        self.languages: list[str] = list(self._model.supported_languages)

    def decode(self, audio: Samples, language: str | None, prompt: str | None = None) -> Decoded:
        """Transcribe 16 kHz mono float32 audio; `language` None detects it (multilingual)."""
        if not self.multilingual:
            language = "en"
        seconds = audio.size / RATE
        if seconds <= LONG_AUDIO_SECONDS:
            decoded = self._decode_window(audio, language, prompt)
            if decoded is not None:
                return decoded
            _LOGGER.debug("short-window result rejected; decoding with the 30 s window")
        return self._decode_standard(audio, language, prompt)

    def _decode_window(
        self, audio: Samples, language: str | None, prompt: str | None
    ) -> Decoded | None:
        audio = np.concatenate([audio, np.zeros(int(TAIL_SECONDS * RATE), dtype=np.float32)])
        seconds = audio.size / RATE
        window = min(FULL_WINDOW_SECONDS, max(self.min_window, seconds + PADDING_SECONDS))
        frames = math.ceil(window * FRAMES_PER_SECOND)
        extractor = self._model.feature_extractor
        padding = frames * extractor.hop_length - audio.size + extractor.hop_length
        features = extractor(audio, padding=max(padding, 0))[:, :frames]
        encoded = self._model.model.encode(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(features[np.newaxis])),
            to_cpu=False,
        )
        if language is None:
            language = self._model.model.detect_language(encoded)[0][0][0][2:-2]
        tokenizer = Tokenizer(
            self._model.hf_tokenizer, self.multilingual, task="transcribe", language=language
        )
        tokens = self._prompt_tokens(tokenizer, prompt)
        result = self._model.model.generate(
            encoded,
            [tokens],
            beam_size=1,
            return_scores=True,
            return_no_speech_prob=True,
            max_length=len(tokens) + 16 + int(12 * seconds),
            suppress_tokens=get_suppressed_tokens(tokenizer, (-1,)),
        )[0]
        ids = result.sequences_ids[0]
        text = _text_inside_audio(tokenizer, ids, seconds)
        average_logprob = result.scores[0] / max(len(ids), 1)
        if result.no_speech_prob > NO_SPEECH_PROBABILITY and average_logprob < MIN_AVG_LOGPROB:
            return Decoded("", language)
        if (
            not text.strip()
            or get_compression_ratio(text) > MAX_COMPRESSION_RATIO
            or average_logprob < MIN_AVG_LOGPROB
        ):
            return None
        return Decoded(text.strip(), language)

    def _prompt_tokens(self, tokenizer: Tokenizer, prompt: str | None) -> list[int]:
        tokens: list[int] = []
        if prompt:
            previous = tokenizer.encode(" " + prompt.strip())
            tokens = [tokenizer.sot_prev, *previous[-(self._model.max_length // 2 - 1) :]]
        return [*tokens, *tokenizer.sot_sequence]

    def _decode_standard(self, audio: Samples, language: str | None, prompt: str | None) -> Decoded:
        segments, info = self._model.transcribe(
            audio,
            language=language,
            beam_size=1,
            initial_prompt=prompt,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        text = "".join(segment.text for segment in segments)
        return Decoded(text.strip(), info.language)


def _text_inside_audio(tokenizer: Tokenizer, ids: list[int], seconds: float) -> str:
    """Join the timestamped segments that start before the audio ends."""
    limit = seconds - 0.1
    parts: list[str] = []
    current: list[int] = []
    start: float | None = None
    for token in ids:
        if token >= tokenizer.timestamp_begin:
            time = (token - tokenizer.timestamp_begin) * SECONDS_PER_TIMESTAMP
            if start is None:
                start = time
                continue
            if start < limit:
                parts.append(tokenizer.decode(current))
            current, start = [], None
        elif token < tokenizer.eot:
            current.append(token)
    if current and (start is None or start < limit):
        parts.append(tokenizer.decode(current))
    return "".join(parts)

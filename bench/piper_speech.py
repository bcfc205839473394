"""Piper in the benchmark's own process.

Making the spoken corpus, and timing the voice
model alone on the pieces of a reply (what the servers cannot go below).

Needs the servers' environment (piper, soxr, our voice loader).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import soxr  # type: ignore[import-untyped]

from bench.speech_corpus import PACES, RATE, UTTERANCES, compose, trim_silence, write_clip
from wyoming_servers.tts.synthesizer import _synthesize
from wyoming_servers.tts.text_pieces import TextPieces
from wyoming_servers.tts.voices import Tuning, Voice, load_voice
from wyoming_shared.cpu_budget import available_cpus


def make_corpus(directory: Path, voice_file: Path) -> None:
    """One clip per utterance, at a pace that varies from clip to clip."""
    for index, text in enumerate(UTTERANCES):
        pace = PACES[index % len(PACES)]
        voice = load_voice(str(voice_file), Tuning(length_scale=pace, threads=0))
        speech = np.frombuffer(_synthesize(voice, text, None), dtype=np.int16)
        resampled = soxr.resample(speech, voice.sample_rate, RATE)
        speech16 = trim_silence(np.asarray(resampled, dtype=np.int16))
        write_clip(directory, f"data_{index + 1:02d}", text, compose(speech16, seed=index))


def pieces(text: str, short_first: bool) -> list[str]:
    """How our server cuts `text`.

    Without the short first piece: sentence by sentence, as wyoming-piper does.
    """
    splitter = TextPieces(short_first=short_first)
    return [*splitter.add(text), *splitter.finish()]


def _timed(voice: Voice, text: str, repeats: int) -> tuple[float, float]:
    """Median seconds to synthesize `text`, and seconds of audio it makes."""
    times, audio = [], b""
    for _ in range(repeats):
        began = time.monotonic()
        audio = _synthesize(voice, text, None)
        times.append(time.monotonic() - began)
    return float(np.median(times)), len(audio) / 2 / voice.sample_rate


def profile_setups() -> list[tuple[str, Tuning, tuple[str, ...]]]:
    """Thread settings to time the voice with, and which cut of the text for each.

    Our server's settings (spinning off) with 1 thread and with every CPU (its default),
    and onnxruntime's own default (every core, spinning on), as wyoming-piper runs.
    """
    cpus = available_cpus()
    return [
        ("1 thread", Tuning(threads=1), ("ours", "sentences")),
        (f"{cpus} threads", Tuning(threads=cpus), ("ours", "sentences")),
        ("onnxruntime default", Tuning(threads=0, spinning=True), ("sentences",)),
    ]


def piper_pieces(voice_file: Path, text: str, repeats: int = 5) -> dict[str, Any]:
    """Voice-model time per piece, for our cut and for sentence by sentence."""
    profile: dict[str, Any] = {}
    for label, tuning, cuts in profile_setups():
        voice = load_voice(str(voice_file), tuning)
        _synthesize(voice, "Ready.", None)  # warm-up
        for cut in cuts:
            short_first = cut == "ours"
            timed = [(piece, *_timed(voice, piece, repeats)) for piece in pieces(text, short_first)]
            profile[f"{label} {cut}"] = [
                {"piece": piece, "seconds": seconds, "audio_seconds": audio}
                for piece, seconds, audio in timed
            ]
    return profile

"""A small spoken corpus for the speech-to-text benchmark, and how it is streamed.

Each clip is one home-assistant request of 2-5 s: leading silence (a microphone is
listening before anyone speaks; Whisper drops first words of clips that start at sample
0), the speech, and trailing silence as long as Home Assistant's voice activity
detection waits before it ends the request (0.7 s by default). Quiet noise under the
whole clip stands in for a real room; digital zeros are not what a microphone
delivers. Clips are stored as 16 kHz 16-bit mono WAV files with a .txt transcript beside
each (the layout wyoming-bench reads).
"""

from __future__ import annotations

import wave
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

RATE: Final = 16_000
LEAD_SECONDS: Final = 0.7
TAIL_SECONDS: Final = 0.7  # Home Assistant's default end-of-speech silence
NOISE_RMS: Final = 30.0  # about -60 dBFS: a quiet room

UTTERANCES: Final = (
    "Turn on the kitchen lights and set them to fifty percent.",
    "What's the temperature in the living room right now?",
    "Set a timer for ten minutes for the pasta.",
    "Close the garage door and lock the front door.",
    "Can you tell me if the back door is locked?",
    "Turn off all the lights upstairs except the hallway.",
    "Remind me to water the plants tomorrow morning.",
    "Play some relaxing music in the bedroom.",
    "How much energy did the house use today?",
    "Dim the dining room lights to twenty percent and start the dishwasher.",
)
# Speaking pace per clip (piper's length scale): people do not all talk alike.
PACES: Final = (1.0, 1.1, 0.95, 1.05, 1.15)


@dataclass(frozen=True)
class Clip:
    """One spoken sentence: its text and its audio."""

    name: str
    text: str
    samples: bytes  # 16-bit little-endian mono PCM
    rate: int

    @property
    def seconds(self) -> float:
        """The clip's length in seconds."""
        return len(self.samples) / 2 / self.rate

    def with_tail(self, seconds: float, stored: float = TAIL_SECONDS) -> Clip:
        """The clip ending `seconds` after the speech instead of the `stored` tail."""
        if not 0 <= seconds <= stored:
            raise ValueError(f"tail must be between 0 and {stored} s")
        cut = round((stored - seconds) * self.rate) * 2
        return replace(self, samples=self.samples[: len(self.samples) - cut])


Pcm = npt.NDArray[np.int16]


def compose(
    speech: Pcm,
    rate: int = RATE,
    lead: float = LEAD_SECONDS,
    tail: float = TAIL_SECONDS,
    noise_rms: float = NOISE_RMS,
    seed: int = 0,
) -> Pcm:
    """Silence, `speech` (int16), silence, with quiet noise over all of it."""
    before, after = np.zeros(int(lead * rate)), np.zeros(int(tail * rate))
    clip = np.concatenate([before, speech.astype(np.float64), after])
    clip += np.random.default_rng(seed).normal(0.0, noise_rms, clip.size)
    loud: Pcm = np.clip(np.round(clip), -32768, 32767).astype(np.int16)
    return loud


def trim_silence(speech: Pcm, threshold: int = 300) -> Pcm:
    """`speech` without the near-silent samples at either end."""
    loud = np.flatnonzero(np.abs(speech.astype(np.int32)) > threshold)
    if loud.size == 0:
        return speech[:0]
    return speech[loud[0] : loud[-1] + 1]


def realtime_schedule(samples: int, chunk: int, rate: int) -> list[tuple[int, int, float]]:
    """(start, end, due) per chunk.

    A microphone delivers samples [start, end) once the last of them has been captured,
    `due` seconds after the first sample.
    """
    if chunk <= 0 or rate <= 0:
        raise ValueError("chunk and rate must be positive")
    return [
        (start, min(start + chunk, samples), min(start + chunk, samples) / rate)
        for start in range(0, samples, chunk)
    ]


def write_clip(directory: Path, name: str, text: str, audio: Pcm, rate: int = RATE) -> None:
    """Write a clip as a WAV file and its text beside it."""
    directory.mkdir(parents=True, exist_ok=True)
    with wave.open(str(directory / f"{name}.wav"), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(audio.astype("<i2").tobytes())
    (directory / f"{name}.txt").write_text(text + "\n")


def read_corpus(directory: Path) -> list[Clip]:
    """Every WAV with a transcript beside it, sorted by name; only 16-bit mono."""
    clips = []
    for path in sorted(directory.glob("*.wav")):
        with wave.open(str(path), "rb") as wav:
            if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
                raise ValueError(f"{path.name}: need 16-bit mono audio")
            rate, samples = wav.getframerate(), wav.readframes(wav.getnframes())
        text = path.with_suffix(".txt").read_text().strip()
        clips.append(Clip(path.stem, text, samples, rate))
    return clips

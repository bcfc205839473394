"""Feedback sounds: short original tones made at start-up, or WAV files given by the user."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wyoming_shared.audio import PcmFormat

RATE = 22050
SOUND_FORMAT = PcmFormat(RATE, 2, 1)
SOUND_NAMES = ("awake", "done", "error", "timer")


@dataclass(frozen=True)
class Sound:
    """A feedback sound: its name, format and PCM."""

    name: str
    format: PcmFormat
    pcm: bytes

    @property
    def seconds(self) -> float:
        """How long the sound plays."""
        return self.format.seconds(len(self.pcm))


def _tone(frequency: float, seconds: float, volume: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    wave_ = np.sin(2 * np.pi * frequency * t) + 0.25 * np.sin(4 * np.pi * frequency * t)
    fade = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.01)  # 10 ms ramps, no clicks
    tone: np.ndarray = (volume * wave_ * fade / 1.25).astype(np.float32)
    return tone


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.float32)


def _melody(*parts: np.ndarray) -> bytes:
    return (np.concatenate(parts) * 32767).astype("<i2").tobytes()


def generated_sounds() -> dict[str, Sound]:
    """Rising = listening, falling = done, low double = error, triple = timer finished."""
    melodies = {
        "awake": _melody(_tone(660, 0.07), _tone(990, 0.09)),
        "done": _melody(_tone(990, 0.07), _tone(660, 0.09)),
        "error": _melody(_tone(220, 0.15), _silence(0.05), _tone(185, 0.2)),
        "timer": _melody(*[p for _ in range(3) for p in (_tone(1320, 0.12), _silence(0.08))]),
    }
    return {name: Sound(name, SOUND_FORMAT, pcm) for name, pcm in melodies.items()}


def load_wav(name: str, path: Path) -> Sound:
    """A feedback sound from a PCM WAV file."""
    with wave.open(str(path), "rb") as wav:
        fmt = PcmFormat(wav.getframerate(), wav.getsampwidth(), wav.getnchannels())
        return Sound(name, fmt, wav.readframes(wav.getnframes()))


def load_sounds(overrides: dict[str, str | None], enabled: bool = True) -> dict[str, Sound]:
    """The feedback sounds to play; `--no-sounds` gives none, a file replaces a tone."""
    if not enabled:
        return {}
    sounds = generated_sounds()
    for name, path in overrides.items():
        if path:
            sounds[name] = load_wav(name, Path(path))
    return sounds

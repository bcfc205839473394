"""Spoken test clips: espeak-ng speaks, sox converts to the PCM format a test needs.

Every clip starts with 0.7 s of silence, as a real microphone recording does.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LEADING_SILENCE = 0.7
TRAILING_SILENCE = 0.6


@dataclass(frozen=True)
class Clip:
    pcm: bytes
    rate: int
    width: int
    channels: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / (self.rate * self.width * self.channels)

    def silence(self, seconds: float) -> Clip:
        frames = round(seconds * self.rate)
        zero = b"\x80" if self.width == 1 else b"\x00"
        return Clip(
            zero * (frames * self.width * self.channels), self.rate, self.width, self.channels
        )

    def __add__(self, other: Clip) -> Clip:
        assert (self.rate, self.width, self.channels) == (other.rate, other.width, other.channels)
        return Clip(self.pcm + other.pcm, self.rate, self.width, self.channels)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is needed to make test speech (apt-get install {name})")
    return path


def speak(
    text: str,
    tmp_path: Path,
    rate: int = 16000,
    width: int = 2,
    channels: int = 1,
    voice: str = "en-us",
    leading: float = LEADING_SILENCE,
    trailing: float = TRAILING_SILENCE,
) -> Clip:
    """`text` spoken by espeak-ng, as raw little-endian PCM of the given format."""
    wav = tmp_path / f"{re.sub(r'[^a-z]+', '-', text.lower())[:40]}-{voice}.wav"
    subprocess.run([_tool("espeak-ng"), "-v", voice, "-w", str(wav), text], check=True)
    encoding = "unsigned-integer" if width == 1 else "signed-integer"
    converted = subprocess.run(
        [
            _tool("sox"),
            str(wav),
            "-t",
            "raw",
            "-L",
            "-e",
            encoding,
            "-b",
            str(8 * width),
            "-r",
            str(rate),
            "-c",
            str(channels),
            "-",
            "pad",
            str(leading),
            str(trailing),
        ],
        check=True,
        capture_output=True,
    )
    return Clip(converted.stdout, rate, width, channels)


def words(text: str) -> list[str]:
    """Lower-case words without punctuation, numbers kept."""
    return re.findall(r"[a-z0-9']+", text.lower())

"""One synthesis request while it is being spoken: voice, text still to cut, progress."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .text_pieces import TextPieces
from .voices import Voice


@dataclass
class Utterance:
    """A `synthesize` request, or a stream from `synthesize-start` to `synthesize-stop`."""

    voice: Voice
    speaker_id: int | None
    pieces: TextPieces
    failed: bool = False  # refused (at the start, or over the text limit): no more text
    holds_slot: bool = False  # counted among the requests the server admits at once
    audio_started: bool = False
    pieces_spoken: int = 0
    characters: int = 0
    characters_spoken: int = 0
    audio_bytes: int = 0
    started: float = field(default_factory=time.monotonic)
    first_audio: float | None = None

    def add_text(self, text: str) -> list[str]:
        """Add text; return the pieces that are now complete enough to speak."""
        self.characters += len(text)
        return self.pieces.add(text)

    def take_text(self, text: str) -> None:
        """Add the whole text of a request; `pieces.remaining()` then cuts it as it goes."""
        self.characters += len(text)
        self.pieces.feed(text)

    @property
    def characters_unspoken(self) -> int:
        """Characters received but not yet spoken."""
        return max(0, self.characters - self.characters_spoken)

    @property
    def audio_seconds(self) -> float:
        """Seconds of audio sent so far."""
        return self.audio_bytes / (2 * self.voice.sample_rate)

    def summary(self) -> str:
        """One log line's worth of what happened, with timings."""
        now = time.monotonic()
        first = (
            f"first audio after {(self.first_audio - self.started) * 1000:.0f} ms"
            if self.first_audio is not None
            else "no audio"
        )
        return (
            f"{self.characters} characters in {self.pieces_spoken} pieces with "
            f"{self.voice.name}: {self.audio_seconds:.1f} s of audio, {first}, "
            f"done after {(now - self.started) * 1000:.0f} ms"
        )

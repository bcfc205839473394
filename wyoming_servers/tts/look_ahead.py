"""The pieces of one request, synthesized in order, the next one early while CPUs are free.

The first piece runs alone, so it gets every thread the voice has and the first audio
comes soonest. After it, the next piece starts while the current one is still being
synthesized or sent, but only when the synthesizer has room: no other request waiting,
other processes leaving a CPU free, and both pieces short enough to keep memory low.
On a busy server or machine a request takes one piece at a time as before, and
requests keep taking turns.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable

from .synthesizer import Synthesizer
from .utterance import Utterance

IN_FLIGHT = 2  # pieces of one request being synthesized at once, at most


class PiecesAhead:
    """Synthesized pieces of one request, in order: `await next()` until it returns None."""

    def __init__(self, synthesizer: Synthesizer, utterance: Utterance, pieces: Iterable[str]):
        self._synthesizer = synthesizer
        self._utterance = utterance
        self._todo = iter(pieces)
        self._in_flight: deque[tuple[str, asyncio.Task[bytes]]] = deque()
        self._handed_out = 0
        self._next: str | None = None  # taken from `pieces`, waiting for room

    @property
    def _first_done(self) -> bool:
        return bool(self._utterance.pieces_spoken or self._handed_out)

    def _fill(self) -> None:
        while len(self._in_flight) < IN_FLIGHT:
            if self._next is None:
                self._next = next(self._todo, None)
                if self._next is None:
                    return
            if self._in_flight and (
                not self._first_done or not self._synthesizer.has_room(len(self._next))
            ):
                return
            piece, self._next = self._next, None
            utterance = self._utterance
            task = asyncio.create_task(
                self._synthesizer.speak(utterance.voice, piece, utterance.speaker_id)
            )
            self._in_flight.append((piece, task))

    async def next(self) -> tuple[str, bytes] | None:
        """The next piece and its audio; None when every piece is done."""
        self._fill()
        if not self._in_flight:
            return None
        piece, task = self._in_flight[0]
        audio = await task
        self._in_flight.popleft()
        self._handed_out += 1
        self._fill()  # the next piece starts before this one's audio is sent
        return piece, audio

    def close(self) -> None:
        """Drop the pieces not yet handed out (those not started are never synthesized)."""
        while self._in_flight:
            _, task = self._in_flight.popleft()
            task.cancel()
            if task.done() and not task.cancelled():
                task.exception()  # retrieved, so asyncio does not log it as lost

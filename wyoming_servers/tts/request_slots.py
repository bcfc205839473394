"""How many requests the voice serves at once; beyond that, a clear `busy` answer.

The voice speaks one piece at a time and the requests in progress take turns piece by
piece, so each one added slows all the others down. A bounded number of requests is
admitted; a request over the limit is refused at once (error code `busy`) instead of
making everyone wait.
"""

from __future__ import annotations

from dataclasses import dataclass

from wyoming_shared.protocol import BadEvent


class ServerBusy(BadEvent):
    """Every request slot is taken; the client should try again shortly."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="busy")


@dataclass
class RequestSlots:
    """The admission count shared by every connection of the server."""

    limit: int
    taken: int = 0

    def take(self) -> None:
        """Admit one request, or raise ServerBusy."""
        if self.taken >= self.limit:
            raise ServerBusy(
                f"server busy: {self.taken} requests are being spoken (limit {self.limit})"
            )
        self.taken += 1

    def give_back(self) -> None:
        """A request has ended (done, refused later, or its client left)."""
        self.taken = max(0, self.taken - 1)

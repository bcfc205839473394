"""A deadline for receiving each HTTP request, so that no connection waits forever.

uvicorn keeps a connection open while a request is incomplete: a Content-Length larger
than the body sent, a request line or headers without their final blank line, or bytes
that are not HTTP at all but contain no line break. It also keeps a new connection that
sends nothing. Here each request must arrive whole within `--read-timeout` seconds of
its first byte (of the connection, for the first one); otherwise the server answers
408 (when it has not answered yet) and closes the connection. Idle keep-alive
connections between requests are closed by uvicorn's own keep-alive timeout.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_LOGGER = logging.getLogger(__name__)
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: 34\r\n"
    b"connection: close\r\n\r\n"
    b"the request did not arrive in time"
)


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request to arrive whole."""

    read_timeout = 10.0  # seconds; `with_read_timeout` makes a class with another value

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Create the protocol for one connection (as uvicorn's h11 protocol)."""
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Feed uvicorn, then start or stop the clock as the request is (in)complete."""
        super().data_received(data)
        if self._receiving():
            if self._deadline is None:
                self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock with the connection."""
        self._disarm()
        super().connection_lost(exc)

    def _receiving(self) -> bool:
        """Whether a request has begun to arrive but is not complete."""
        state = self.conn.their_state
        return state is h11.SEND_BODY or (state is h11.IDLE and bool(self.conn.trailing_data[0]))

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.read_timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(TIMEOUT_RESPONSE)
        _LOGGER.debug("closed a connection whose request did not arrive in time")
        self.transport.close()


def with_read_timeout(seconds: float) -> type[DeadlineH11Protocol]:
    """The protocol class to give uvicorn (`Config(http=...)`) for this deadline."""
    return type("DeadlineH11Protocol", (DeadlineH11Protocol,), {"read_timeout": seconds})

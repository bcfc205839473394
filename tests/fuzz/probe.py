"""Send one `WyomingStream` over a real TCP connection and sort out what came back.

Blocking sockets on purpose: the probe must not share an event loop (or its mistakes)
with the server it judges. After an `eof` ending the client reads until the server
closes the connection; no byte and no close for `HANG_SECONDS` is a hang.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from dataclasses import dataclass, field
from typing import Any

from .wyoming_streams import Pause, WyomingStream

HANG_SECONDS = 10.0
READ_LIMIT_SECONDS = 30.0  # audio still flowing after this: the client stops reading


@dataclass(frozen=True)
class Received:
    """One event the server sent (payloads are counted, not kept)."""

    type: str
    data: dict[str, Any]
    payload_bytes: int = 0


@dataclass
class Outcome:
    """What one stream did to the server, as the client saw it."""

    events: list[Received] = field(default_factory=list)
    send_failed: bool = False  # the server closed before the client had sent everything
    hang: bool = False
    cut_off: bool = False
    malformed: str | None = None  # the server's own output did not parse

    @property
    def errors(self) -> list[dict[str, Any]]:
        """The data of every `error` event received."""
        return [event.data for event in self.events if event.type == "error"]

    @property
    def internal_errors(self) -> list[str]:
        """Error texts that report a bug rather than bad input."""
        return [
            str(error.get("text"))
            for error in self.errors
            if error.get("code") == "internal" or str(error.get("text")).startswith("internal")
        ]


def run_stream(port: int, stream: WyomingStream) -> Outcome:
    """Connect to 127.0.0.1:`port`, send `stream`, end it as it says, read the answer."""
    outcome = Outcome()
    with socket.create_connection(("127.0.0.1", port), timeout=HANG_SECONDS) as sock:
        for step in stream.steps:
            if isinstance(step, Pause):
                time.sleep(step.seconds)
                continue
            try:
                sock.sendall(step)
            except OSError:
                outcome.send_failed = True
                break
        if stream.ending == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return outcome
        if stream.ending == "close":
            return outcome
        received = _read_to_close(sock, outcome)
    outcome.events, outcome.malformed = parse_events(received, complete=not outcome.cut_off)
    return outcome


def _read_to_close(sock: socket.socket, outcome: Outcome) -> bytes:
    try:
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        outcome.send_failed = True
    received = bytearray()
    give_up = time.monotonic() + READ_LIMIT_SECONDS
    while True:
        try:
            chunk = sock.recv(1 << 16)
        except TimeoutError:
            outcome.hang = True
            break
        except OSError:  # reset by the server
            break
        if not chunk:
            break
        received += chunk
        if time.monotonic() > give_up:
            outcome.cut_off = True
            break
    return bytes(received)


def parse_events(data: bytes, complete: bool = True) -> tuple[list[Received], str | None]:
    """The events in `data`, and what was wrong with the framing (None: nothing)."""
    events: list[Received] = []
    position = 0
    while position < len(data):
        end = data.find(b"\n", position)
        if end < 0:
            return events, None if not complete else f"partial header {data[position:][:80]!r}"
        try:
            header = json.loads(data[position:end])
            data_length = int(header.get("data_length") or 0)
            payload_length = int(header.get("payload_length") or 0)
            body = dict(header.get("data") or {})
            position = end + 1
            if data_length:
                body.update(json.loads(data[position : position + data_length]))
        except (ValueError, TypeError, AttributeError) as err:
            return events, f"unreadable event from the server: {err}"
        position += data_length + payload_length
        if position > len(data) and complete:
            return events, f"event '{header.get('type')}' cut short"
        events.append(Received(str(header.get("type")), body, payload_length))
    return events, None

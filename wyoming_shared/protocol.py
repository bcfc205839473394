"""A Wyoming connection handler that survives bad input.

wyoming's own reader ends the connection silently on malformed input. Ours answers
with an `error` event and one log line, keeps the connection when the framing is still
intact (a bad JSON header line), and closes it only when the stream cannot be trusted
any more (oversized, truncated or unreadable lengths). Text must be valid unicode (no
lone surrogates) and numbers finite. A client that stops sending in the middle of an
event, or of a request the handler has open, is disconnected after `idle_timeout`
seconds. Exceptions in a handler never escape.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from abc import abstractmethod
from typing import Any

from wyoming.error import Error
from wyoming.event import Event
from wyoming.server import AsyncEventHandler

_LOGGER = logging.getLogger(__name__)

MAX_HEADER_BYTES = 64 * 1024  # asyncio.StreamReader's default line limit
MAX_DATA_BYTES = 1024 * 1024
MAX_PAYLOAD_BYTES = 16 * 1024 * 1024
MAX_ERROR_CHARS = 300  # an error event or log line quotes at most this much
_READ_BYTES = 64 * 1024


class BadEvent(Exception):
    """The client sent something that is not a valid event; `fatal` closes the stream."""

    def __init__(self, message: str, fatal: bool = False, code: str = "bad-request") -> None:
        super().__init__(message)
        self.fatal = fatal
        self.code = code


async def read_event(
    reader: asyncio.StreamReader, idle_timeout: float | None = None, mid_request: bool = False
) -> Event | None:
    """Read one event; None at end of stream; BadEvent for malformed input.

    With `idle_timeout`, a client that sends nothing for that many seconds in the middle
    of an event (or, with `mid_request`, before its next event) gets a fatal BadEvent
    with the code `timeout`.
    """
    line = await _read_header_line(reader, idle_timeout, mid_request)
    if line is None:
        return None
    header = _parse_header(line)
    data_length = _length(header, "data_length")
    payload_length = _length(header, "payload_length")
    if data_length > MAX_DATA_BYTES or payload_length > MAX_PAYLOAD_BYTES:
        raise BadEvent(
            f"event '{_name(header)}' is too large (data {data_length} bytes, payload "
            f"{payload_length} bytes; limits {MAX_DATA_BYTES} and {MAX_PAYLOAD_BYTES})",
            fatal=True,
        )
    try:
        blob = await _read_exactly(reader, data_length, idle_timeout)
        payload = await _read_exactly(reader, payload_length, idle_timeout)
    except asyncio.IncompleteReadError:
        raise BadEvent("connection closed in the middle of an event", fatal=True) from None
    except TimeoutError:
        raise _idle(idle_timeout, "an event") from None
    return _event(header, blob, payload or None)


def check_values(value: Any) -> None:
    """ValueError unless every number in `value` is finite and every text valid unicode."""
    try:
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode()
    except UnicodeEncodeError:
        raise ValueError("text that is not valid unicode (a lone surrogate)") from None
    except ValueError:
        raise ValueError("a number out of range (infinite or not a number)") from None


def _idle(seconds: float | None, where: str) -> BadEvent:
    return BadEvent(
        f"no data for {seconds:g} s in the middle of {where}: connection closed",
        fatal=True,
        code="timeout",
    )


async def _read_header_line(
    reader: asyncio.StreamReader, idle_timeout: float | None, mid_request: bool
) -> bytes | None:
    """The next JSON header line; None at a clean end of stream."""
    first = b""
    try:
        async with asyncio.timeout(idle_timeout if mid_request else None):
            first = await reader.read(1)
        if first in (b"", b"\n"):
            return first or None
        async with asyncio.timeout(idle_timeout):
            return first + await reader.readuntil(b"\n")
    except TimeoutError:
        raise _idle(idle_timeout, "an event" if first else "a request") from None
    except asyncio.IncompleteReadError as err:
        if not (first + err.partial).strip():
            return None
        raise BadEvent("connection closed in the middle of an event header", fatal=True) from None
    except asyncio.LimitOverrunError:
        raise BadEvent(f"event header longer than {MAX_HEADER_BYTES} bytes", fatal=True) from None


async def _read_exactly(
    reader: asyncio.StreamReader, size: int, idle_timeout: float | None
) -> bytes:
    """`size` bytes; TimeoutError when none arrive for `idle_timeout` seconds."""
    parts: list[bytes] = []
    remaining = size
    while remaining:
        async with asyncio.timeout(idle_timeout):
            part = await reader.read(min(remaining, _READ_BYTES))
        if not part:
            raise asyncio.IncompleteReadError(b"".join(parts), size)
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def _parse_header(line: bytes) -> dict[str, Any]:
    """The header line as an object (the line is consumed: the framing stays intact)."""
    try:
        header = json.loads(line)
    except (ValueError, RecursionError) as err:
        raise BadEvent(f"malformed event header ({err})") from None
    if not isinstance(header, dict):
        raise BadEvent("malformed event header (not an object)")
    return header


def _length(header: dict[str, Any], key: str) -> int:
    """A byte count from the header; without a usable one the framing is lost (fatal)."""
    value = header.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadEvent(
            f"event '{_name(header)}' has {key} {value!r}, not a number of bytes", fatal=True
        )
    length: int = value
    return length


def _name(header: dict[str, Any]) -> str:
    return str(header.get("type"))[:80]


def _event(header: dict[str, Any], blob: bytes, payload: bytes | None) -> Event:
    """The event, once its whole frame is read: only now may a bad value be refused."""
    data = header.get("data") or {}
    try:
        if not isinstance(header.get("type"), str):
            raise ValueError("no event type")
        if not isinstance(data, dict):
            raise ValueError("data is not an object")
        check_values(header)
    except ValueError as err:
        raise BadEvent(f"malformed event header ({err})") from None
    if blob:
        try:
            extra = json.loads(blob)
            if not isinstance(extra, dict):
                raise ValueError("not an object")
            check_values(extra)
        except (ValueError, RecursionError) as err:
            raise BadEvent(f"event '{_name(header)}' has malformed data ({err})") from None
        data.update(extra)
    return Event(type=header["type"], data=data, payload=payload)


class GuardedEventHandler(AsyncEventHandler):
    """Base for our servers' handlers: implement `handle_event`, raise `BadEvent` on bad input."""

    idle_timeout: float | None = None  # seconds without data mid-event or mid-request

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        super().__init__(reader, writer)
        self.peer = str(writer.get_extra_info("peername") or "local")

    @abstractmethod
    async def handle_event(self, event: Event) -> bool:
        """Handle one event; return False to close the connection."""

    @property
    def request_open(self) -> bool:
        """The client has begun a request and must send more (audio, text) to finish it."""
        return False

    async def run(self) -> None:
        """Read and handle events until the client leaves, asks to close, or breaks framing."""
        self._is_running = True
        try:
            while self._is_running:
                try:
                    event = await read_event(self.reader, self.idle_timeout, self.request_open)
                    if event is None:
                        break
                    if not await self.handle_event(event):
                        break
                except BadEvent as err:
                    await self.reject(str(err), code=err.code)
                    if err.fatal:
                        break
                except ConnectionError:
                    break
                except Exception as err:  # a bug must not take the server down
                    _LOGGER.debug("unexpected error for %s", self.peer, exc_info=True)
                    await self.reject(f"internal error: {err}", code="internal")
                    break
        finally:
            await self.disconnect()
            self.writer.close()

    async def write_event(self, event: Event) -> None:
        """Send one event; ConnectionResetError once the client has gone."""
        # Writing to a transport whose peer is gone fails inside asyncio with an
        # AttributeError on Python 3.13.0; report it as the lost connection it is.
        if self.writer.is_closing():
            raise ConnectionResetError("the client closed the connection")
        await super().write_event(event)

    async def reject(self, text: str, code: str = "bad-request") -> None:
        """Tell the client what was wrong (one log line, one error event)."""
        if len(text) > MAX_ERROR_CHARS:
            text = text[:MAX_ERROR_CHARS] + "..."
        text = text.encode("utf-8", "backslashreplace").decode()  # lone surrogates
        _LOGGER.warning("%s: %s", self.peer, text)
        with contextlib.suppress(ConnectionError, RuntimeError, AttributeError):
            await self.write_event(Error(text=text, code=code).event())

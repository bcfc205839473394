"""A Wyoming connection handler that survives bad input.

wyoming's own reader ends the connection silently on malformed input. Ours answers
with an `error` event and one log line, keeps the connection when the framing is still
intact (a bad JSON header line), and closes it only when the stream cannot be trusted
any more (oversized or truncated data). Exceptions in a handler never escape.
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


class BadEvent(Exception):
    """The client sent something that is not a valid event; `fatal` closes the stream."""

    def __init__(self, message: str, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


async def read_event(reader: asyncio.StreamReader) -> Event | None:
    """Read one event; None at end of stream; BadEvent for malformed input."""
    line = await _read_header_line(reader)
    if line is None:
        return None
    event_type, data, data_length, payload_length = _parse_header(line)
    try:
        if data_length:
            extra = json.loads(await reader.readexactly(data_length))
            if not isinstance(extra, dict):
                raise BadEvent(f"event '{event_type}' has data that is not an object")
            data.update(extra)
        payload = await reader.readexactly(payload_length) if payload_length else None
    except asyncio.IncompleteReadError:
        raise BadEvent("connection closed in the middle of an event", fatal=True) from None
    except ValueError as err:
        raise BadEvent(f"event '{event_type}' has malformed data ({err})") from None
    return Event(type=event_type, data=data, payload=payload)


async def _read_header_line(reader: asyncio.StreamReader) -> bytes | None:
    """The next JSON header line; None at a clean end of stream."""
    try:
        return await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as err:
        if not err.partial.strip():
            return None
        raise BadEvent("connection closed in the middle of an event header", fatal=True) from None
    except asyncio.LimitOverrunError:
        raise BadEvent(f"event header longer than {MAX_HEADER_BYTES} bytes", fatal=True) from None


def _parse_header(line: bytes) -> tuple[str, dict[str, Any], int, int]:
    """Event type, inline data, data length and payload length of a header line."""
    try:
        header = json.loads(line)
        if not isinstance(header, dict) or not isinstance(header.get("type"), str):
            raise ValueError("no event type")
        data = header.get("data") or {}
        data_length = int(header.get("data_length") or 0)
        payload_length = int(header.get("payload_length") or 0)
        if not isinstance(data, dict):
            raise ValueError("data is not an object")
    except (ValueError, TypeError) as err:
        raise BadEvent(f"malformed event header ({err})") from None
    if not 0 <= data_length <= MAX_DATA_BYTES or not 0 <= payload_length <= MAX_PAYLOAD_BYTES:
        raise BadEvent(
            f"event '{header['type']}' is too large (data {data_length} bytes, payload "
            f"{payload_length} bytes; limits {MAX_DATA_BYTES} and {MAX_PAYLOAD_BYTES})",
            fatal=True,
        )
    return header["type"], data, data_length, payload_length


class GuardedEventHandler(AsyncEventHandler):
    """Base for our servers' handlers: implement `handle_event`, raise `BadEvent` on bad input."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        super().__init__(reader, writer)
        self.peer = str(writer.get_extra_info("peername") or "local")

    @abstractmethod
    async def handle_event(self, event: Event) -> bool:
        """Handle one event; return False to close the connection."""

    async def run(self) -> None:
        """Read and handle events until the client leaves, asks to close, or breaks framing."""
        self._is_running = True
        try:
            while self._is_running:
                try:
                    event = await read_event(self.reader)
                    if event is None:
                        break
                    if not await self.handle_event(event):
                        break
                except BadEvent as err:
                    await self.reject(str(err))
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
        _LOGGER.warning("%s: %s", self.peer, text)
        with contextlib.suppress(ConnectionError, RuntimeError, AttributeError):
            await self.write_event(Error(text=text, code=code).event())

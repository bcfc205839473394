"""One reply on the Realtime socket: the server events of a response, read into text.

The session hands the events of the active response to a `ReplyReader` through a
queue (None: the socket closed). The reader yields the text deltas as they arrive,
raises the failure the service reported, and knows whether the response may still be
running, so the session can cancel it before the next turn starts one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from .cloud_request import HAND_OFF_TOOL
from .realtime_errors import (
    HandOffRequested,
    RealtimeConnectionLost,
    RealtimeProtocolError,
    RealtimeTimeout,
)
from .realtime_events import Event, error_code, failure_for

type UsageListener = Callable[[dict[str, Any]], None]
type EventChannel = asyncio.Queue[Event | None]


class ReplyReader:
    """Reads the events of one response from `channel`."""

    def __init__(
        self,
        channel: EventChannel,
        first_delta_timeout: float,
        idle_timeout: float,
        on_usage: UsageListener | None,
    ) -> None:
        self._channel = channel
        self._first_delta_timeout = first_delta_timeout
        self._idle_timeout = idle_timeout
        self._on_usage = on_usage
        self._function_names: dict[str, str] = {}
        self.text = ""
        # Until `response.done` (or a refusal of the request) the response may be running.
        self.active = True
        self.handed_off = False

    async def deltas(self) -> AsyncIterator[str]:
        """The reply's text deltas, in order; returns after `response.done`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._first_delta_timeout
        created = False
        while True:
            waiting_for_first = not self.text
            timeout = deadline - loop.time() if waiting_for_first else self._idle_timeout
            event = await self._next(timeout, waiting_for_first)
            kind = event["type"]
            if kind == "response.output_text.delta":
                delta = event.get("delta")
                if isinstance(delta, str) and delta:
                    self.text += delta
                    yield delta
            elif kind == "response.created":
                created = True
            elif kind == "response.output_item.added":
                self._remember_function(event)
            elif kind == "response.function_call_arguments.done":
                self._called(event)
            elif kind == "response.done":
                self._finish(event)
                return
            elif kind == "error":
                # An error before `response.created` refused the request itself.
                self.active = self.active and created
                raise failure_for(error_code(event), "the service reported an error")

    async def until_done(self) -> None:
        """Skip the rest of the response until `response.done` (or the socket closes)."""
        while self.active:
            event = await self._channel.get()
            if event is None:
                self.active = False
            elif event["type"] == "response.done":
                self.active = False
                self._count_usage(event)

    async def _next(self, seconds: float, first: bool) -> Event:
        try:
            async with asyncio.timeout(max(seconds, 0.0)):
                event = await self._channel.get()
        except TimeoutError:
            what = "the first words" if first else "more words"
            raise RealtimeTimeout(f"no reply ({what}) within {seconds:.1f} s") from None
        if event is None:
            self.active = False
            raise RealtimeConnectionLost("the connection closed during the reply")
        return event

    def _remember_function(self, event: Event) -> None:
        item = event.get("item")
        if isinstance(item, dict) and item.get("type") == "function_call":
            self._function_names[str(item.get("id"))] = str(item.get("name"))

    def _called(self, event: Event) -> None:
        name = self._function_names.get(str(event.get("item_id")), "")
        if name == HAND_OFF_TOOL:
            self.handed_off = True
            raise HandOffRequested
        raise RealtimeProtocolError(f"the model called an unknown function {name[:40]!r}")

    def _finish(self, event: Event) -> None:
        """`response.done`: count its tokens, then say how it ended."""
        self.active = False
        response = self._count_usage(event)
        status = response.get("status")
        if status in ("failed", "cancelled"):
            details = response.get("status_details")
            code = error_code(details) if isinstance(details, dict) else str(status)
            raise failure_for(code, f"the response {status}")
        if not self.text and not self.handed_off:
            raise RealtimeProtocolError(f"the response ended ({status}) without text")

    def _count_usage(self, event: Event) -> dict[str, Any]:
        response = event.get("response")
        if not isinstance(response, dict):
            raise RealtimeProtocolError("response.done without a response")
        usage = response.get("usage")
        if isinstance(usage, dict) and self._on_usage is not None:
            self._on_usage(usage)
        return response


class ResumedReply:
    """The deltas of a retried reply, minus the text the first attempt already gave.

    A retry after a dropped connection asks for the same reply again. If it starts with
    what the user already has, only the rest is passed on; if it says something else, it
    follows after a space (the first words cannot be taken back).
    """

    def __init__(self, already: str) -> None:
        self._already = already
        self._buffer = ""
        self._resumed = not already

    def feed(self, delta: str) -> str:
        """The part of `delta` that is new to the listener."""
        if self._resumed:
            return delta
        self._buffer += delta
        if len(self._buffer) < len(self._already) and self._already.startswith(self._buffer):
            return ""
        self._resumed = True
        if self._buffer.startswith(self._already):
            return self._buffer[len(self._already) :]
        return " " + self._buffer

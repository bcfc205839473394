"""Realtime API (GA) events: the client events we send and the reading of server events.

Server events are read as plain JSON objects and dispatched on their `type` string:
the service adds event types over time, and a type this client does not know is
logged once and ignored. A frame that is not a JSON object with a string `type` is
malformed; it is logged once per connection's life and dropped.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from .realtime_errors import (
    RealtimeConnectionLost,
    RealtimeError,
    RealtimeProtocolError,
    RealtimeRateLimited,
    RealtimeServerError,
)

_LOGGER = logging.getLogger(__package__)

type Event = dict[str, Any]

# Server events this client reads or knowingly ignores.
TURN_EVENTS = frozenset(
    {
        "response.created",
        "response.output_item.added",
        "response.output_item.done",
        "response.content_part.added",
        "response.content_part.done",
        "response.output_text.delta",
        "response.output_text.done",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.done",
        "error",
    }
)
SESSION_EVENTS = frozenset({"session.created", "session.updated"})
IGNORED_EVENTS = frozenset(
    {
        "rate_limits.updated",
        "conversation.item.added",
        "conversation.item.done",
        "conversation.item.created",
        "conversation.item.deleted",
    }
)
KNOWN_EVENTS = TURN_EVENTS | SESSION_EVENTS | IGNORED_EVENTS

# `error.code` (or `error.type`) -> the failure a turn raises.
_ERROR_KINDS: dict[str, type[RealtimeError]] = {
    "rate_limit_exceeded": RealtimeRateLimited,
    "insufficient_quota": RealtimeRateLimited,
    "server_error": RealtimeServerError,
    "session_expired": RealtimeConnectionLost,
}


def session_update(session: dict[str, Any]) -> Event:
    """`session.update` with the session built by the privacy boundary."""
    return {"type": "session.update", "session": session}


def response_create(response: dict[str, Any]) -> Event:
    """`response.create` with the per-turn response built by the privacy boundary."""
    return {"type": "response.create", "response": response}


def response_cancel() -> Event:
    """`response.cancel` for the active response."""
    return {"type": "response.cancel"}


def parse_server_event(data: str) -> Event | None:
    """The event in one text frame, or None if it is not a JSON object with a type."""
    try:
        event = json.loads(data)
    except ValueError:
        return None
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return None
    return event


def error_code(event: Event) -> str:
    """The `code` of an `error` event (or of a failed response's details), else its type."""
    error = event.get("error")
    if not isinstance(error, dict):
        return "unknown"
    return str(error.get("code") or error.get("type") or "unknown")


def failure_for(code: str, what: str) -> RealtimeError:
    """The exception a turn raises for an error `code` the service reported."""
    kind = _ERROR_KINDS.get(code, RealtimeProtocolError)
    return kind(f"{what}: {code}")


class UnknownEventLog:
    """Logs each unknown event type (and the first malformed frame) only once."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def unknown(self, event_type: str) -> None:
        """An event of a type this client does not read arrived."""
        if event_type not in self._seen:
            self._seen.add(event_type)
            _LOGGER.info("Realtime: ignoring server events of type %r", event_type[:80])

    def malformed(self, size: int) -> None:
        """A frame that is not a JSON event arrived."""
        if "<malformed>" not in self._seen:
            self._seen.add("<malformed>")
            _LOGGER.warning("Realtime: ignoring a malformed server frame of %d bytes", size)

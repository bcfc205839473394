"""One WebSocket of the Realtime stand-in: the session, its items and its responses.

`StandinConnection` answers the client events of one accepted WebSocket
(`session.update`, `conversation.item.create`, `response.create`, `response.cancel`)
with the GA server events, plays the response faults the stand-in was told to play,
and records what was sent and received in a `ConnectionRecord`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from bench.realtime_standin_script import HANDSHAKE_FAULTS, Fault, FunctionCall
from bench.realtime_standin_turn import ResponseWriter, error_event

if TYPE_CHECKING:
    from bench.realtime_standin import RealtimeStandin

MODELS = ("gpt-realtime", "gpt-realtime-mini")


@dataclass
class ConnectionRecord:
    """Everything one client sent on one WebSocket."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    events: list[dict[str, Any]] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    # time.monotonic() of each event in `events` and in `sent` (for latency reports).
    received_at: list[float] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)
    accepted: bool = False
    closed: bool = False

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        """The client events of one type, in order."""
        return [event for event in self.events if event.get("type") == event_type]

    def errors_sent(self) -> list[str]:
        """The codes of the `error` events the stand-in sent on this connection."""
        return [str(event["error"]["code"]) for event in self.sent if event["type"] == "error"]


class StandinConnection:
    """One WebSocket: the session, the default conversation and the active response."""

    def __init__(
        self,
        standin: RealtimeStandin,
        ws: web.WebSocketResponse,
        record: ConnectionRecord,
        request: web.Request,
    ) -> None:
        self.standin = standin
        self.ws = ws
        self.record = record
        self.request = request
        self.session: dict[str, Any] = {
            "type": "realtime",
            "id": standin.new_id("sess"),
            "object": "realtime.session",
            "model": record.query.get("model", MODELS[1]),
            "output_modalities": ["audio"],
            "instructions": "",
            "tools": [],
            "tool_choice": "auto",
            "max_output_tokens": "inf",
        }
        self.items: list[dict[str, Any]] = []
        self.active: asyncio.Task[None] | None = None
        self.writer: ResponseWriter | None = None

    async def send(self, event: dict[str, Any]) -> None:
        """Send one server event and record it."""
        event.setdefault("event_id", self.standin.new_id("event"))
        self.record.sent.append(event)
        self.record.sent_at.append(time.monotonic())
        if not self.ws.closed:
            await self.ws.send_json(event)

    async def serve(self) -> None:
        """Answer the client's events until it closes the WebSocket."""
        if "openai-beta" in {name.lower() for name in self.record.headers}:
            await self.send(
                error_event("beta_api_shape_disabled", "The beta Realtime API is shut down.")
            )
            await self.ws.close(code=4000, message=b"beta_api_shape_disabled")
            return
        await self.send({"type": "session.created", "session": dict(self.session)})
        try:
            async for message in self.ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                await self._receive(message.data)
        finally:
            if self.active is not None:
                self.active.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self.active

    async def _receive(self, raw: str) -> None:
        self.record.raw.append(raw)
        try:
            event = json.loads(raw)
        except json.JSONDecodeError:
            await self.send(error_event("invalid_json", "The event is not valid JSON."))
            return
        if not isinstance(event, dict):
            await self.send(error_event("invalid_json", "The event is not a JSON object."))
            return
        self.record.events.append(event)
        self.record.received_at.append(time.monotonic())
        handler = {
            "session.update": self._session_update,
            "conversation.item.create": self._item_create,
            "response.create": self._response_create,
            "response.cancel": self._response_cancel,
        }.get(str(event.get("type")))
        if handler is None:
            await self.send(
                error_event("invalid_value", f"Unknown event type {event.get('type')!r}.", "type")
            )
            return
        await handler(event)

    async def _session_update(self, event: dict[str, Any]) -> None:
        session = event.get("session")
        if not isinstance(session, dict) or "type" not in session:
            await self.send(
                error_event(
                    "missing_required_parameter",
                    "Missing required parameter: 'session.type'.",
                    "session.type",
                )
            )
            return
        modalities = session.get("output_modalities", ["text"])
        if len(modalities) != 1 or modalities[0] not in ("text", "audio"):
            await self.send(
                error_event("invalid_value", "output_modalities: one of text or audio.")
            )
            return
        self.session.update(session)
        await self.send({"type": "session.updated", "session": dict(self.session)})

    async def _item_create(self, event: dict[str, Any]) -> None:
        item = dict(event.get("item") or {})
        item.setdefault("id", self.standin.new_id("item"))
        self.items.append(item)
        for stage in ("conversation.item.added", "conversation.item.done"):
            await self.send({"type": stage, "previous_item_id": None, "item": item})

    async def _response_create(self, event: dict[str, Any]) -> None:
        if self.active is not None and not self.active.done():
            await self.send(
                error_event(
                    "conversation_already_has_active_response",
                    "Conversation already has an active response in progress.",
                )
            )
            return
        params = event.get("response") or {}
        out_of_band = params.get("conversation") == "none"
        items = list(params.get("input") or []) if out_of_band else list(self.items)
        fault = self.standin.faults.take(set(Fault) - HANDSHAKE_FAULTS)
        reply: str | FunctionCall = self.standin.script.reply_to(items)
        self.writer = ResponseWriter(
            self.send, self.standin.new_id, self._usage_of(items), self.standin.delta_gap_ms / 1000
        )
        self.active = asyncio.create_task(self._respond(reply, fault, out_of_band))

    def _usage_of(self, items: list[dict[str, Any]]) -> str:
        return str(self.session.get("instructions", "")) + json.dumps(items)

    async def _respond(self, reply: str | FunctionCall, fault: Fault | None, oob: bool) -> None:
        writer = self.writer
        assert writer is not None
        await writer.created()
        if fault is Fault.SESSION_EXPIRED:
            await expire(self.ws, self.standin.new_id("event"))
            return
        if fault in (Fault.RATE_LIMIT, Fault.RESPONSE_SERVER_ERROR):
            await writer.failed(str(fault))
            return
        if fault is Fault.NOISE:
            await self.send({"type": "response.not_a_real_event", "response_id": writer.id})
            await self.ws.send_str("this frame is not JSON")
        if fault is Fault.OVERSIZED:
            await self.ws.send_str(
                json.dumps({"type": "response.output_text.delta", "delta": "x" * (1 << 21)})
            )
            await asyncio.Event().wait()
        if fault is Fault.STALL:
            await asyncio.Event().wait()
        delay = self.standin.latency_ms / 1000
        if fault is Fault.DROP:
            cut = reply if isinstance(reply, str) else "This reply is cut off before it ends."
            await writer.text(cut, delay, stop_after=2)
            if self.request.transport is not None:
                self.request.transport.close()
            return
        if isinstance(reply, FunctionCall):
            item = await writer.function_call(reply, delay)
        else:
            item = await writer.text(reply, delay)
        if not oob:
            self.items.append(item)
        await writer.done("completed")

    async def _response_cancel(self, _event: dict[str, Any]) -> None:
        if self.active is None or self.active.done() or self.writer is None:
            await self.send(
                error_event("response_cancel_not_active", "There is no active response.")
            )
            return
        self.active.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.active
        await self.writer.done("cancelled")


async def expire(ws: web.WebSocketResponse, event_id: str) -> None:
    """End a session as the service does after 60 minutes."""
    event = error_event("session_expired", "Your session hit the maximum duration of 60 minutes.")
    event["event_id"] = event_id
    if not ws.closed:
        await ws.send_json(event)
        await ws.close(code=1001, message=b"session_expired")

"""A local stand-in for the OpenAI Realtime API (GA protocol), for tests and demos.

It listens on 127.0.0.1 at `/v1/realtime` (WebSocket) and `/v1/models`, speaks the GA
server events a text turn produces (session, response, output item, content part,
text and function-call deltas, `response.done` with usage, `rate_limits.updated`,
`error`), refuses what the real service refuses (a beta header: close 4000; a session
without `type`; a second `response.create` while one is active) and can be told to
fail (`Fault`). It records every request: headers, query and each client event.

    python -m bench.realtime_standin --port 8765 [--latency-ms 200] [--script FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

from bench.realtime_standin_script import (
    HANDSHAKE_FAULTS,
    Fault,
    FaultQueue,
    FunctionCall,
    StandinScript,
)
from bench.realtime_standin_turn import ResponseWriter, error_event

MODELS = ("gpt-realtime", "gpt-realtime-mini")
HANDSHAKE_STATUS = {Fault.AUTH: 401, Fault.TOO_MANY_REQUESTS: 429, Fault.SERVER_ERROR: 500}
HANDSHAKE_CODE = {
    Fault.AUTH: "invalid_api_key",
    Fault.TOO_MANY_REQUESTS: "rate_limit_exceeded",
    Fault.SERVER_ERROR: "server_error",
}


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


class RealtimeStandin:
    """The server's state: script, faults, records and open connections."""

    def __init__(
        self,
        script: StandinScript | None = None,
        latency_ms: float = 0.0,
        api_key: str | None = None,
        delta_gap_ms: float = 0.0,
    ) -> None:
        self.script = script or StandinScript()
        self.latency_ms = latency_ms
        self.delta_gap_ms = delta_gap_ms
        self.api_key = api_key
        self.faults = FaultQueue()
        self.connections: list[ConnectionRecord] = []
        self.http_requests: list[dict[str, Any]] = []
        self._open: set[web.WebSocketResponse] = set()
        self._ids = itertools.count(1)
        self.port = 0

    @property
    def base_url(self) -> str:
        """The base URL a client is configured with (plain `ws` for the WebSocket)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def accepted(self) -> list[ConnectionRecord]:
        """The connections that got past the handshake."""
        return [record for record in self.connections if record.accepted]

    def recorded_text(self) -> str:
        """Every byte of every request the stand-in received, as one string."""
        return json.dumps(
            {
                "connections": [
                    {"path": record.path, "query": record.query, "headers": record.headers}
                    | {"events": record.events, "raw": record.raw}
                    for record in self.connections
                ],
                "http": self.http_requests,
            }
        )

    def new_id(self, prefix: str) -> str:
        """A fresh id such as `resp_7`."""
        return f"{prefix}_{next(self._ids)}"

    def app(self) -> web.Application:
        """The aiohttp application."""
        app = web.Application()
        app.router.add_get("/v1/realtime", self._realtime)
        app.router.add_get("/realtime", self._realtime)
        app.router.add_get("/v1/models", self._models)
        return app

    def _authorized(self, request: web.Request) -> bool:
        return self.api_key is None or request.headers.get("Authorization") == (
            f"Bearer {self.api_key}"
        )

    async def _models(self, request: web.Request) -> web.Response:
        self.http_requests.append({"path": request.path, "headers": dict(request.headers)})
        if not self._authorized(request):
            return _http_error(Fault.AUTH)
        data = [{"id": model, "object": "model", "owned_by": "system"} for model in MODELS]
        return web.json_response({"object": "list", "data": data})

    async def _realtime(self, request: web.Request) -> web.StreamResponse:
        record = ConnectionRecord(request.path, dict(request.query), dict(request.headers))
        self.connections.append(record)
        fault = self.faults.take(HANDSHAKE_FAULTS)
        if fault is None and not self._authorized(request):
            fault = Fault.AUTH
        if fault is not None:
            return _http_error(fault)
        ws = web.WebSocketResponse(max_msg_size=1 << 20)
        await ws.prepare(request)
        record.accepted = True
        self._open.add(ws)
        try:
            await _StandinConnection(self, ws, record, request).serve()
        finally:
            self._open.discard(ws)
            record.closed = True
        return ws

    async def expire_sessions(self) -> None:
        """End every open session as the service does after 60 minutes."""
        for ws in list(self._open):
            await _expire(ws, self.new_id("event"))


class _StandinConnection:
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
        event.setdefault("event_id", self.standin.new_id("event"))
        self.record.sent.append(event)
        self.record.sent_at.append(time.monotonic())
        if not self.ws.closed:
            await self.ws.send_json(event)

    async def serve(self) -> None:
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
            await _expire(self.ws, self.standin.new_id("event"))
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


async def _expire(ws: web.WebSocketResponse, event_id: str) -> None:
    event = error_event("session_expired", "Your session hit the maximum duration of 60 minutes.")
    event["event_id"] = event_id
    if not ws.closed:
        await ws.send_json(event)
        await ws.close(code=1001, message=b"session_expired")


def _http_error(fault: Fault) -> web.Response:
    code = HANDSHAKE_CODE[fault]
    body = {"error": {"type": "invalid_request_error", "code": code, "message": code}}
    return web.json_response(body, status=HANDSHAKE_STATUS[fault])


@asynccontextmanager
async def running_standin(
    standin: RealtimeStandin | None = None, port: int = 0
) -> AsyncIterator[RealtimeStandin]:
    """The stand-in served on 127.0.0.1 (`port` 0: any free port) while inside."""
    standin = standin or RealtimeStandin()
    runner = web.AppRunner(standin.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    standin.port = int(runner.addresses[0][1])
    try:
        yield standin
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    """Serve the stand-in until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--script", type=Path, help="JSON replies (see realtime_standin_script)")
    parser.add_argument("--api-key", help="refuse every other key with 401")
    args = parser.parse_args(argv)
    script = StandinScript.load(args.script) if args.script else None
    standin = RealtimeStandin(script, args.latency_ms, args.api_key)
    web.run_app(standin.app(), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()

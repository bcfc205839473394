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
import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiohttp import web

from bench.realtime_standin_connection import (
    MODELS,
    ConnectionRecord,
    StandinConnection,
    expire,
)
from bench.realtime_standin_script import HANDSHAKE_FAULTS, Fault, FaultQueue, StandinScript

HANDSHAKE_STATUS = {Fault.AUTH: 401, Fault.TOO_MANY_REQUESTS: 429, Fault.SERVER_ERROR: 500}
HANDSHAKE_CODE = {
    Fault.AUTH: "invalid_api_key",
    Fault.TOO_MANY_REQUESTS: "rate_limit_exceeded",
    Fault.SERVER_ERROR: "server_error",
}


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
            await StandinConnection(self, ws, record, request).serve()
        finally:
            self._open.discard(ws)
            record.closed = True
        return ws

    async def expire_sessions(self) -> None:
        """End every open session as the service does after 60 minutes."""
        for ws in list(self._open):
            await expire(ws, self.new_id("event"))


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

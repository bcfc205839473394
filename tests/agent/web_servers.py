"""Small real HTTP servers on 127.0.0.1.

Small real HTTP servers on 127.0.0.1: endpoints that are not model servers, and an
OpenAI-compatible one whose replies and failures a test scripts.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bench.local_process import free_port

ROUTER_PAGE = "<!doctype html><html><body><h1>Router admin</h1></body></html>"


@asynccontextmanager
async def html_site() -> AsyncIterator[str]:
    """A web page on every path, as a router or NAS admin page answers; yields its URL."""

    async def page(_request: web.Request) -> web.Response:
        return web.Response(text=ROUTER_PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", page)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        await runner.cleanup()


def closed_port_url() -> str:
    """A URL where nothing listens."""
    return f"http://127.0.0.1:{free_port()}/v1"


@dataclass(frozen=True)
class Hang:
    """A model that never answers: the request waits until the client gives up."""


@dataclass(frozen=True)
class DropMidStream:
    """A model server that sends the start of a reply, then closes the connection."""

    delta: dict[str, Any]


@dataclass(frozen=True)
class StallAfter:
    """A model server that sends a reply, then neither ends the stream nor closes it.

    `left` is set when the client closes the connection.
    """

    delta: dict[str, Any]
    left: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(frozen=True)
class HttpError:
    """A model server that answers a request with an HTTP error."""

    status: int


type Reply = dict[str, Any] | Hang | DropMidStream | StallAfter | HttpError


@asynccontextmanager
async def scripted_model(
    replies: Sequence[Reply],
    warm_ups: list[Any] | None = None,
    *,
    models: tuple[str, ...] = ("scripted",),
    api_key: str | None = None,
) -> AsyncIterator[tuple[str, list[Any]]]:
    """A scripted OpenAI-compatible endpoint.

    An OpenAI-compatible endpoint whose model misbehaves on purpose: each streamed
    chat request gets the next of `replies` (a `delta` dict, or a misbehaviour), the
    last one repeating. Yields the URL and the list of streamed request bodies it
    received; the agent's one-token prompt-cache warm-ups (not streamed) go to
    `warm_ups` instead. It serves `models`, and with `api_key` answers 401 to any other
    key, as a server behind a key does.
    """
    requests: list[Any] = []
    closing = asyncio.Event()

    @web.middleware
    async def check_key(request: web.Request, handler: Any) -> web.StreamResponse:
        if api_key is not None and request.headers.get("Authorization") != f"Bearer {api_key}":
            error = {"message": "Incorrect API key provided", "type": "invalid_request_error"}
            return web.json_response({"error": error}, status=401)
        response: web.StreamResponse = await handler(request)
        return response

    async def listed(_request: web.Request) -> web.Response:
        data = [{"id": model, "object": "model"} for model in models]
        return web.json_response({"object": "list", "data": data})

    async def chat(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        if not body.get("stream"):
            if warm_ups is not None:
                warm_ups.append(body)
            return web.json_response(_completion(body))
        requests.append(body)
        reply = replies[min(len(requests), len(replies)) - 1]
        if isinstance(reply, HttpError):
            return web.json_response({"error": {"message": "scripted"}}, status=reply.status)
        if isinstance(reply, Hang):
            await closing.wait()  # the client gives up first
            return web.Response(status=503)
        return await _stream(request, reply, closing)

    app = web.Application(middlewares=[check_key])
    app.router.add_get("/v1/models", listed)
    app.router.add_post("/v1/chat/completions", chat)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/v1", requests
    finally:
        closing.set()
        await runner.cleanup()


async def _stream(
    request: web.Request,
    reply: dict[str, Any] | DropMidStream | StallAfter,
    closing: asyncio.Event,
) -> web.StreamResponse:
    """A streamed reply, or its start and then a closed connection, or a stall."""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    if isinstance(reply, StallAfter):
        await response.write(_chunk({"index": 0, "delta": reply.delta}))
        while not closing.is_set():
            if request.transport is None or request.transport.is_closing():
                reply.left.set()
                break
            await asyncio.sleep(0.01)
        return response
    if isinstance(reply, DropMidStream):
        await response.write(_chunk({"index": 0, "delta": reply.delta}))
        assert request.transport is not None
        request.transport.close()
        return response
    await response.write(_chunk({"index": 0, "delta": reply}))
    await response.write(_chunk({"index": 0, "delta": {}, "finish_reason": "stop"}))
    await response.write(b"data: [DONE]\n\n")
    return response


def _chunk(choice: dict[str, Any]) -> bytes:
    """One server-sent event of a streamed chat completion."""
    chunk = {
        "id": "c",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "scripted",
        "choices": [choice],
    }
    return f"data: {json.dumps(chunk)}\n\n".encode()


def _completion(body: dict[str, Any]) -> dict[str, Any]:
    """A whole (not streamed) chat completion of one token."""
    return {
        "id": "c",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", "scripted"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "["},
                "finish_reason": "length",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def reply_delta(text: str) -> dict[str, Any]:
    """A streamed assistant delta with the model's whole reply."""
    return {"role": "assistant", "content": text}

"""Small real HTTP servers on 127.0.0.1 for endpoints that are not model servers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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


@asynccontextmanager
async def scripted_model(
    replies: list[dict[str, Any]], warm_ups: list[Any] | None = None
) -> AsyncIterator[tuple[str, list[Any]]]:
    """An OpenAI-compatible endpoint whose model misbehaves on purpose: each streamed
    chat request gets the next of `replies` (a `delta` dict), the last one repeating.
    Yields the URL and the list of streamed request bodies it received; the agent's
    one-token prompt-cache warm-ups (not streamed) go to `warm_ups` instead.
    """
    requests: list[Any] = []

    async def models(_request: web.Request) -> web.Response:
        return web.json_response(
            {"object": "list", "data": [{"id": "scripted", "object": "model"}]}
        )

    async def chat(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        if not body.get("stream"):
            if warm_ups is not None:
                warm_ups.append(body)
            return web.json_response(_completion(body))
        requests.append(body)
        delta = replies[min(len(requests), len(replies)) - 1]
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for choice in (
            {"index": 0, "delta": delta},
            {"index": 0, "delta": {}, "finish_reason": "stop"},
        ):
            chunk = {
                "id": "c",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "scripted",
                "choices": [choice],
            }
            await response.write(f"data: {json.dumps(chunk)}\n\n".encode())
        await response.write(b"data: [DONE]\n\n")
        return response

    app = web.Application()
    app.router.add_get("/v1/models", models)
    app.router.add_post("/v1/chat/completions", chat)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/v1", requests
    finally:
        await runner.cleanup()


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

"""Small real HTTP servers on 127.0.0.1 for endpoints that are not model servers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from tests.servers import free_port

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

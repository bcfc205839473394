"""Opening one Realtime (GA) connection: the URL, the handshake and the session set-up.

No beta header (the service closes such connections); the key goes in the
Authorization header only and is never logged. An HTTP status at the handshake becomes
the failure it means (401/403: the key, 429: rate limit, 5xx: the service).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import aiohttp
from yarl import URL

from .realtime_errors import (
    RealtimeAuthFailed,
    RealtimeConnectionLost,
    RealtimeError,
    RealtimeRateLimited,
    RealtimeServerError,
)
from .realtime_events import error_code, failure_for, parse_server_event, session_update

MAX_EVENT_BYTES = 1 << 20


@dataclass(frozen=True)
class RealtimeSettings:
    """Where and how to connect, and how long a turn may wait (seconds)."""

    base_url: str
    api_key: str
    model: str
    first_delta_timeout: float = 4.0
    idle_timeout: float = 10.0
    connect_timeout: float = 10.0
    renew_after: float = 55 * 60
    heartbeat: float = 20.0
    backoff_base: float = 0.5
    backoff_max: float = 60.0
    settle_timeout: float = 2.0


def realtime_url(base_url: str, model: str) -> URL:
    """The WebSocket URL: `<base>/realtime?model=...`, http(s) turned into ws(s)."""
    url = URL(base_url.rstrip("/") + "/realtime")
    scheme = {"http": "ws", "https": "wss"}.get(url.scheme, url.scheme)
    return url.with_scheme(scheme).update_query(model=model)


def handshake_failure(status: int) -> RealtimeError:
    """The failure an HTTP status at the WebSocket handshake means."""
    if status in (401, 403):
        return RealtimeAuthFailed(f"the service refused the API key (HTTP {status})")
    if status == 429:
        return RealtimeRateLimited("the service is rate limiting (HTTP 429)")
    if status >= 500:
        return RealtimeServerError(f"the service failed (HTTP {status})")
    return RealtimeConnectionLost(f"the service refused the connection (HTTP {status})")


async def open_connection(
    http: aiohttp.ClientSession, settings: RealtimeSettings, session_config: dict[str, Any]
) -> aiohttp.ClientWebSocketResponse:
    """A socket whose session is configured (`session.updated` received)."""
    url = realtime_url(settings.base_url, settings.model)
    headers = {"Authorization": f"Bearer {settings.api_key}"}
    try:
        async with asyncio.timeout(settings.connect_timeout):
            ws = await http.ws_connect(
                url, headers=headers, heartbeat=settings.heartbeat, max_msg_size=MAX_EVENT_BYTES
            )
            try:
                await _expect(ws, "session.created")
                await send_event(ws, session_update(session_config))
                await _expect(ws, "session.updated")
            except BaseException:
                await ws.close()
                raise
    except aiohttp.WSServerHandshakeError as err:
        raise handshake_failure(err.status) from None
    except TimeoutError:
        raise RealtimeConnectionLost("the service did not open a session in time") from None
    except (aiohttp.ClientError, OSError) as err:
        raise RealtimeConnectionLost(f"cannot connect ({type(err).__name__})") from None
    return ws


async def send_event(ws: aiohttp.ClientWebSocketResponse, event: dict[str, Any]) -> None:
    """Send one client event; a socket that cannot take it is a lost connection."""
    try:
        await ws.send_json(event)
    except (aiohttp.ClientError, ConnectionError, RuntimeError) as err:
        raise RealtimeConnectionLost(f"cannot send ({type(err).__name__})") from None


async def _expect(ws: aiohttp.ClientWebSocketResponse, wanted: str) -> None:
    """Read until the event `wanted`; an `error` or a closed socket fails the set-up."""
    async for message in ws:
        if message.type is not aiohttp.WSMsgType.TEXT:
            continue
        event = parse_server_event(message.data)
        if event is None:
            continue
        if event["type"] == wanted:
            return
        if event["type"] == "error":
            raise failure_for(error_code(event), "the session set-up failed")
    raise RealtimeConnectionLost(f"the connection closed before {wanted}")

"""Home Assistant's own APIs, as its web UI uses them.

REST with a bearer token, and the websocket API for everything the UI configures.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

REQUEST_TIMEOUT = 120.0


class HomeAssistantError(Exception):
    """Home Assistant refused a request; the message quotes its answer."""


class HomeAssistantApi:
    """One authenticated session: REST calls and one websocket connection."""

    def __init__(self, session: aiohttp.ClientSession, url: str, token: str) -> None:
        self.session = session
        self.url = url
        self.token = token
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._listeners: dict[int, Callable[[dict[str, Any]], None]] = {}
        self._reader: asyncio.Task[None] | None = None

    async def rest(self, method: str, path: str, payload: Any = None) -> Any:
        """A REST call; its JSON answer, or HomeAssistantError."""
        headers = {"Authorization": f"Bearer {self.token}"}
        async with self.session.request(
            method, f"{self.url}{path}", json=payload, headers=headers
        ) as reply:
            body = await reply.json(content_type=None) if reply.content_length != 0 else None
            if reply.status >= 400:
                raise HomeAssistantError(f"{method} {path}: {reply.status} {body}")
            return body

    async def connect(self) -> None:
        """Open and authenticate the websocket."""
        ws = await self.session.ws_connect(f"{self.url}/api/websocket", max_msg_size=0)
        hello = await ws.receive_json()
        if hello.get("type") != "auth_required":
            raise HomeAssistantError(f"unexpected websocket greeting: {hello}")
        await ws.send_json({"type": "auth", "access_token": self.token})
        answer = await ws.receive_json()
        if answer.get("type") != "auth_ok":
            await ws.close()
            raise HomeAssistantError(f"websocket login refused: {answer}")
        self._ws = ws
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        """Close the websocket (the session belongs to the caller)."""
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = message.json()
            ident = data.get("id")
            if data.get("type") == "event" and ident in self._listeners:
                self._listeners[ident](data["event"])
            elif (future := self._pending.pop(ident, None)) is not None and not future.done():
                future.set_result(data)
        for future in self._pending.values():
            if not future.done():
                future.set_exception(HomeAssistantError("websocket closed"))

    async def _send(self, command: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self._ws is None:
            raise HomeAssistantError("websocket not connected")
        ident = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[ident] = future
        await self._ws.send_json({**command, "id": ident})
        async with asyncio.timeout(REQUEST_TIMEOUT):
            answer: dict[str, Any] = await future
        if not answer.get("success", False):
            raise HomeAssistantError(f"{command['type']}: {answer.get('error')}")
        return ident, answer

    async def call(self, command_type: str, **fields: Any) -> Any:
        """A websocket command; its result, or HomeAssistantError."""
        _ident, answer = await self._send({"type": command_type, **fields})
        return answer.get("result")

    @asynccontextmanager
    async def subscription(
        self, on_event: Callable[[dict[str, Any]], None], command_type: str, **fields: Any
    ) -> AsyncIterator[None]:
        """Call `on_event` for every event of a subscription while the block runs."""
        # Register before sending, so no event can arrive unhandled.
        ident = next(self._ids)
        self._listeners[ident] = on_event
        if self._ws is None:
            raise HomeAssistantError("websocket not connected")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[ident] = future
        await self._ws.send_json({"type": command_type, **fields, "id": ident})
        async with asyncio.timeout(REQUEST_TIMEOUT):
            answer = await future
        if not answer.get("success", False):
            self._listeners.pop(ident, None)
            raise HomeAssistantError(f"{command_type}: {answer.get('error')}")
        try:
            yield
        finally:
            self._listeners.pop(ident, None)
            if self._ws is not None and not self._ws.closed:
                await self.call("unsubscribe_events", subscription=ident)

    async def flow(self, handler: str, *steps: dict[str, Any]) -> dict[str, Any]:
        """Run a config flow through its forms with `steps` as the user's answers.

        Returns the final result (`create_entry` or `abort`); a form shown again with
        errors is a HomeAssistantError naming them.
        """
        result: dict[str, Any] = await self.rest(
            "POST", "/api/config/config_entries/flow", {"handler": handler}
        )
        for answer in steps:
            if result.get("type") != "form":
                break
            flow_id = result["flow_id"]
            result = await self.rest("POST", f"/api/config/config_entries/flow/{flow_id}", answer)
            if result.get("type") == "form" and result.get("errors"):
                await self.rest("DELETE", f"/api/config/config_entries/flow/{flow_id}")
                raise HomeAssistantError(f"{handler} set-up refused: {result['errors']}")
        if result.get("type") == "form":
            await self.rest("DELETE", f"/api/config/config_entries/flow/{result['flow_id']}")
            raise HomeAssistantError(f"{handler} set-up wants more: {result.get('step_id')}")
        return result

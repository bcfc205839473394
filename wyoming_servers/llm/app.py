"""The HTTP front of the server: health, load state, and OpenAI request compatibility.

llama-cpp-python's FastAPI app does the OpenAI work. This ASGI layer in front of it
answers `GET /health` at any time (503 while the model loads, 200 once it is ready),
returns a JSON 503 for API calls that arrive during loading, and passes request bodies
through `openai_requests` (OpenAI compatibility fixes, clear 400s for invalid bodies).
It also lists the model (`GET /v1/models`) itself: llama-cpp-python takes the model's
lock for that, so a client checking the endpoint would wait for a whole generation.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from .openai_requests import checked_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_LOGGER = logging.getLogger(__name__)
MAX_BODY = 8 << 20


@dataclass
class ServerState:
    """What /health reports; `api` is set once the model is loaded."""

    model: str
    details: dict[str, Any] = field(default_factory=dict)
    api: ASGIApp | None = None
    error: str | None = None

    def health(self) -> tuple[int, dict[str, Any]]:
        if self.error is not None:
            return 503, {"status": "error", "model": self.model, "error": self.error}
        if self.api is None:
            return 503, {"status": "loading", "model": self.model}
        return 200, {"status": "ok", "model": self.model, **self.details}

    def model_list(self) -> dict[str, Any]:
        """`GET /v1/models` as llama-cpp-python answers it, for the one model served."""
        entry = {"id": self.model, "object": "model", "owned_by": "me", "permissions": []}
        return {"object": "list", "data": [entry]}


def _error(message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error"}}


async def send_json(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None when it is larger than MAX_BODY."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b""
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class LauncherApp:
    """ASGI app: /health here, everything else to llama-cpp-python once loaded."""

    def __init__(self, state: ServerState) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # lifespan and websockets are not used
        path = scope.get("path", "")
        if path == "/health" and scope.get("method") in ("GET", "HEAD"):
            status, payload = self.state.health()
            await send_json(send, status, payload)
            return
        api = self.state.api
        if api is not None and path == "/v1/models" and scope.get("method") == "GET":
            await send_json(send, 200, self.state.model_list())
            return
        if api is None:
            _, payload = self.state.health()
            message = "the model is still loading" if self.state.error is None else "error"
            await send_json(send, 503, {"error": {"message": message, **payload}})
            return
        if scope.get("method") == "POST" and path.startswith("/v1/"):
            checked = await self._checked_receive(path, receive, send)
            if checked is None:
                return
            receive = checked
        await api(scope, receive, send)

    @staticmethod
    async def _checked_receive(path: str, receive: Receive, send: Send) -> Receive | None:
        body = await _read_body(receive)
        if body is None:
            await send_json(send, 413, _error("the request body is too large"))
            return None
        rewritten = checked_body(path, body)
        if isinstance(rewritten, str):
            _LOGGER.warning("refused a request to %s: %s", path, rewritten)
            await send_json(send, 400, _error(rewritten))
            return None
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()  # lets the app notice a disconnect
            sent = True
            return {"type": "http.request", "body": rewritten, "more_body": False}

        return replay

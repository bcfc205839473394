"""The HTTP front of the server: health, load state, and OpenAI request compatibility.

llama-cpp-python's FastAPI app does the OpenAI work. This ASGI layer in front of it
answers `GET /health` at any time (503 while the model loads, 200 once it is ready),
returns a JSON 503 for API calls that arrive during loading, and passes request bodies
through `openai_requests` (OpenAI compatibility fixes, clear 400s for invalid bodies).
It also lists the model (`GET /v1/models`) itself: llama-cpp-python takes the model's
lock for that, so a client checking the endpoint would wait for a whole generation.
When the client of a generation disconnects, the generation stops (`generation_guard`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from .generation_guard import ClientGone, GenerationStats, RequestGuard, guard_requests
from .openai_requests import CHAT_PATH, COMPLETION_PATH, checked_body
from .request_limits import ServedModel

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
    served: ServedModel | None = None  # set with `api`, once the model is loaded
    error: str | None = None
    stats: GenerationStats = field(default_factory=GenerationStats)

    def health(self) -> tuple[int, dict[str, Any]]:
        """The status code and body of `GET /health`."""
        if self.error is not None:
            return 503, {"status": "error", "model": self.model, "error": self.error}
        if self.api is None:
            return 503, {"status": "loading", "model": self.model}
        return 200, {"status": "ok", "model": self.model, **self.details, **self.stats.as_health()}

    def model_list(self) -> dict[str, Any]:
        """`GET /v1/models` as llama-cpp-python answers it, for the one model served."""
        entry = {"id": self.model, "object": "model", "owned_by": "me", "permissions": []}
        return {"object": "list", "data": [entry]}


def _error(message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error"}}


async def send_json(send: Send, status: int, payload: dict[str, Any]) -> None:
    """Answer with `payload` as JSON."""
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


class _BodyTooLarge(Exception):
    """The request body is larger than MAX_BODY."""


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None when the client left before sending it."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise _BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _watch_for_disconnect(receive: Receive, guard: RequestGuard) -> None:
    """Tell `guard` when the client disconnects (the body has been read already)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    guard.client_left()


def _replay(body: bytes, guard: RequestGuard) -> Receive:
    """A `receive` that gives the (checked) body, then the disconnect when it comes."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await guard.left.wait()
        return {"type": "http.disconnect"}

    return receive


class LauncherApp:
    """ASGI app: /health here, everything else to llama-cpp-python once loaded."""

    def __init__(self, state: ServerState) -> None:
        """Serve `state`; the model's app is added to it once loaded."""
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request."""
        if scope["type"] != "http":
            return  # lifespan and websockets are not used
        path = scope.get("path", "")
        method = scope.get("method")
        if path == "/health" and method in ("GET", "HEAD"):
            status, payload = self.state.health()
            await send_json(send, status, payload)
            return
        api, served = self.state.api, self.state.served
        if api is None or served is None:
            _, payload = self.state.health()
            message = "the model is still loading" if self.state.error is None else "error"
            await send_json(send, 503, {"error": {"message": message, **payload}})
            return
        if path == "/v1/models" and method == "GET":
            await send_json(send, 200, self.state.model_list())
        elif method == "POST" and path.startswith("/v1/"):
            await self._generate(api, served, scope, receive, send)
        else:
            await api(scope, receive, send)

    async def _generate(
        self, api: ASGIApp, served: ServedModel, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """A checked generation request, stopped if its client disconnects."""
        path = scope["path"]
        if path not in (CHAT_PATH, COMPLETION_PATH):
            await send_json(send, 404, _error(f"{path[:80]} is not served here"))
            return
        try:
            body = await _read_body(receive)
        except _BodyTooLarge:
            await send_json(send, 413, _error("the request body is too large"))
            return
        if body is None:
            return  # the client left before it sent the whole body
        checked = checked_body(path, body, served)
        if isinstance(checked, str):
            _LOGGER.warning("refused a request to %s: %s", path, checked)
            await send_json(send, 400, _error(checked))
            return
        guard = RequestGuard()
        watcher = asyncio.create_task(_watch_for_disconnect(receive, guard))
        restore = guard_requests(guard)
        answered = False

        async def send_until_answered(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.body" and not message.get("more_body"):
                answered = True
            await send(message)

        try:
            await api(scope, _replay(checked, guard), send_until_answered)
        except* ClientGone:
            pass
        finally:
            restore()
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        # A stream whose client left ends without `ClientGone` when llama-cpp-python
        # notices first (between two tokens); it stops generating all the same.
        if guard.stopped or (guard.left.is_set() and not answered):
            self.state.stats.stopped_generations += 1
            _LOGGER.info(
                "the client left: stopped generating after %d tokens", guard.generated_tokens
            )

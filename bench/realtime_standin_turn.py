"""The server events of one Realtime response, in the order the GA service sends them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from bench.realtime_standin_script import FunctionCall, token_estimate, word_deltas

Send = Callable[[dict[str, Any]], Awaitable[None]]
RATE_LIMIT_TOKENS = 40_000
ERROR_TYPES = {
    "rate_limit_exceeded": "rate_limit_exceeded",
    "server_error": "server_error",
}


def error_event(code: str, message: str, param: str | None = None) -> dict[str, Any]:
    """An `error` server event."""
    return {
        "type": "error",
        "error": {
            "type": ERROR_TYPES.get(code, "invalid_request_error"),
            "code": code,
            "message": message,
            "param": param,
            "event_id": None,
        },
    }


class ResponseWriter:
    """Sends the events of one response and keeps what `response.done` reports."""

    def __init__(
        self, send: Send, new_id: Callable[[str], str], billed_input: str, gap: float = 0.0
    ) -> None:
        self._send = send
        self._gap = gap  # seconds between two text deltas
        self.id = new_id("resp")
        self._new_id = new_id
        self._billed_input = billed_input
        self.output: list[dict[str, Any]] = []
        self._output_text = ""
        self.finished = False

    def _ids(self, item_id: str) -> dict[str, Any]:
        return {"response_id": self.id, "item_id": item_id, "output_index": len(self.output)}

    def _response(self, status: str) -> dict[str, Any]:
        return {"id": self.id, "object": "realtime.response", "status": status}

    async def created(self) -> None:
        """`response.created`."""
        response = self._response("in_progress") | {"output": []}
        await self._send({"type": "response.created", "response": response})

    async def text(self, text: str, delay: float, stop_after: int | None = None) -> dict[str, Any]:
        """A message item streamed word by word after `delay` seconds.

        With `stop_after`, only that many deltas are sent (the caller then cuts the line).
        """
        item_id = self._new_id("item")
        item: dict[str, Any] = {
            "id": item_id,
            "type": "message",
            "role": "assistant",
            "status": "in_progress",
            "content": [],
        }
        ids = self._ids(item_id)
        await self._send({"type": "response.output_item.added", **ids, "item": item})
        part = {"type": "text", "text": ""}
        await self._send(
            {"type": "response.content_part.added", **ids, "content_index": 0, "part": part}
        )
        await asyncio.sleep(delay)
        for index, delta in enumerate(word_deltas(text)):
            if stop_after is not None and index >= stop_after:
                return item
            if index and self._gap:
                await asyncio.sleep(self._gap)
            event = {"type": "response.output_text.delta", **ids, "content_index": 0}
            await self._send(event | {"delta": delta})
        await self._send(
            {"type": "response.output_text.done", **ids, "content_index": 0, "text": text}
        )
        part = {"type": "text", "text": text}
        await self._send(
            {"type": "response.content_part.done", **ids, "content_index": 0, "part": part}
        )
        item = item | {"status": "completed", "content": [part]}
        await self._send({"type": "response.output_item.done", **ids, "item": item})
        self.output.append(item)
        self._output_text += text
        return item

    async def function_call(self, call: FunctionCall, delay: float) -> dict[str, Any]:
        """A function-call item whose arguments arrive in two deltas after `delay`."""
        item_id = self._new_id("item")
        call_id = self._new_id("call")
        item: dict[str, Any] = {
            "id": item_id,
            "type": "function_call",
            "status": "in_progress",
            "name": call.name,
            "call_id": call_id,
            "arguments": "",
        }
        ids = self._ids(item_id)
        await self._send({"type": "response.output_item.added", **ids, "item": item})
        await asyncio.sleep(delay)
        arguments = json.dumps(call.arguments)
        half = len(arguments) // 2
        for delta in (arguments[:half], arguments[half:]):
            event = {"type": "response.function_call_arguments.delta", **ids, "call_id": call_id}
            await self._send(event | {"delta": delta})
        done = {"type": "response.function_call_arguments.done", **ids, "call_id": call_id}
        await self._send(done | {"arguments": arguments})
        item = item | {"status": "completed", "arguments": arguments}
        await self._send({"type": "response.output_item.done", **ids, "item": item})
        self.output.append(item)
        self._output_text += arguments
        return item

    async def failed(self, code: str) -> None:
        """An `error` for this response, then `response.done` with status failed."""
        await self._send(error_event(code, f"The response failed: {code}."))
        await self.done("failed", {"type": ERROR_TYPES.get(code, code), "code": code})

    async def done(self, status: str, error: dict[str, Any] | None = None) -> None:
        """`response.done` with usage, then `rate_limits.updated`."""
        if self.finished:
            return
        self.finished = True
        input_tokens = token_estimate(self._billed_input)
        output_tokens = token_estimate(self._output_text) if self._output_text else 0
        details = (
            {"type": status, "reason": None, "error": error} if status != "completed" else None
        )
        response = self._response(status) | {
            "output": self.output,
            "status_details": details,
            "usage": {
                "total_tokens": input_tokens + output_tokens,
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                "input_token_details": {
                    "text_tokens": input_tokens,
                    "audio_tokens": 0,
                    "cached_tokens": 0,
                },
                "output_token_details": {"text_tokens": output_tokens, "audio_tokens": 0},
            },
        }
        await self._send({"type": "response.done", "response": response})
        remaining = 0 if (error or {}).get("code") == "rate_limit_exceeded" else RATE_LIMIT_TOKENS
        limits = [
            {
                "name": "tokens",
                "limit": RATE_LIMIT_TOKENS,
                "remaining": remaining,
                "reset_seconds": 1.0,
            }
        ]
        await self._send({"type": "rate_limits.updated", "rate_limits": limits})

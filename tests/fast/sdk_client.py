"""A Realtime client nobody here wrote: the openai SDK's GA client (`client.realtime`).

Run in the SDK's own environment (.venv/sdk) against the stand-in:

    python tests/fast/sdk_client.py PORT API_KEY

It configures a text session with one tool, asks for a joke (a text turn), then asks
something that makes the model call the tool, answers the call and reads the reply
(a function-call round). It prints one JSON object: what the SDK parsed.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from openai import AsyncOpenAI

TOOL = {
    "type": "function",
    "name": "get_time",
    "description": "The current time.",
    "parameters": {"type": "object", "properties": {"zone": {"type": "string"}}},
}


async def _until_done(connection: Any) -> dict[str, Any]:
    """The events of one response as the SDK parsed them, until `response.done`."""
    seen: dict[str, Any] = {"types": [], "text": "", "calls": []}
    async for event in connection:
        seen["types"].append(event.type)
        if event.type == "response.output_text.delta":
            seen["text"] += event.delta
        elif event.type == "response.output_item.added" and event.item.type == "function_call":
            seen["calls"].append({"name": event.item.name, "call_id": event.item.call_id})
        elif event.type == "response.function_call_arguments.done":
            seen["calls"][-1]["arguments"] = json.loads(event.arguments)
        elif event.type == "response.done":
            seen["status"] = event.response.status
            seen["output_tokens"] = event.response.usage.output_tokens
            return seen
        elif event.type == "error":
            seen["error"] = event.error.code
            return seen
    return seen


async def _say(connection: Any, text: str) -> dict[str, Any]:
    await connection.conversation.item.create(
        item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
    )
    await connection.response.create()
    return await _until_done(connection)


async def main(port: int, api_key: str) -> None:
    # Any: the linters run beside Home Assistant's openai, which has no `realtime`.
    client: Any = AsyncOpenAI(
        api_key=api_key,
        base_url=f"http://127.0.0.1:{port}/v1",
        websocket_base_url=f"ws://127.0.0.1:{port}/v1",
    )
    result: dict[str, Any] = {}
    async with client.realtime.connect(model="gpt-realtime-mini") as connection:
        first = await connection.recv()
        result["first"] = first.type
        await connection.session.update(
            session={
                "type": "realtime",
                "output_modalities": ["text"],
                "instructions": "Be brief.",
                "tools": [TOOL],
            }
        )
        updated = await connection.recv()
        result["updated"] = {"type": updated.type, "tools": [t.name for t in updated.session.tools]}
        result["text_turn"] = await _say(connection, "tell me a joke")
        call_turn = await _say(connection, "what time is it in Paris?")
        result["call_turn"] = call_turn
        await connection.conversation.item.create(
            item={
                "type": "function_call_output",
                "call_id": call_turn["calls"][0]["call_id"],
                "output": "12:34",
            }
        )
        await connection.response.create()
        result["after_call"] = await _until_done(connection)
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))

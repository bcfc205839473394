"""The stand-in speaks the Realtime protocol as the openai SDK's own GA client expects.

The client runs in its own environment (.venv/sdk, a current openai: `client.realtime`
needs openai >= 1.107, newer than Home Assistant 2025.4's pin) as a child process.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from bench.realtime_standin import RealtimeStandin, running_standin
from bench.realtime_standin_script import FunctionCall, ScriptedReply, StandinScript
from tests.servers import ROOT

from .conftest import API_KEY, JOKE

SDK_PYTHON = ROOT / ".venv" / "sdk" / "bin" / "python"
SCRIPT = StandinScript(
    replies=[
        ScriptedReply(when="joke", text=JOKE),
        ScriptedReply(when="time", call=FunctionCall("get_time", {"zone": "Europe/Paris"})),
    ],
    after_call="It is {output} in Paris.",
)


async def _run_sdk_client(port: int) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        str(SDK_PYTHON),
        str(ROOT / "tests" / "fast" / "sdk_client.py"),
        str(port),
        API_KEY,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(120):
        stdout, stderr = await process.communicate()
    assert process.returncode == 0, stderr.decode()[-3000:]
    result: dict[str, Any] = json.loads(stdout)
    return result


async def test_the_sdk_completes_a_text_turn_and_a_function_call_round(
    socket_enabled: Any,
) -> None:
    assert SDK_PYTHON.exists(), "script/setup creates .venv/sdk"
    async with running_standin(RealtimeStandin(SCRIPT, api_key=API_KEY)) as standin:
        result = await _run_sdk_client(standin.port)

    assert result["first"] == "session.created"
    assert result["updated"] == {"type": "session.updated", "tools": ["get_time"]}
    text_turn = result["text_turn"]
    assert text_turn["text"] == JOKE
    assert text_turn["status"] == "completed"
    assert text_turn["output_tokens"] > 0
    assert text_turn["types"][:2] == ["conversation.item.added", "conversation.item.done"]
    assert text_turn["types"][2:5] == [
        "response.created",
        "response.output_item.added",
        "response.content_part.added",
    ]
    assert text_turn["types"][-4:] == [
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.done",
    ]
    call_turn = result["call_turn"]
    assert call_turn["calls"][0]["name"] == "get_time"
    assert call_turn["calls"][0]["arguments"] == {"zone": "Europe/Paris"}
    assert "response.function_call_arguments.delta" in call_turn["types"]
    assert result["after_call"]["text"] == "It is 12:34 in Paris."

    [record] = standin.accepted
    headers = {name.lower(): value for name, value in record.headers.items()}
    assert headers["authorization"] == f"Bearer {API_KEY}"
    assert "openai-beta" not in headers
    assert record.query["model"] == "gpt-realtime-mini"
    assert record.errors_sent() == []
    assert sys.executable != str(SDK_PYTHON)

"""The think path's endpoint as Home Assistant's OpenAI client sees it."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from openai import OpenAI

from .conftest import TOOL_MODEL, LlmServer

pytestmark = pytest.mark.usefixtures("socket_enabled")

SYSTEM = (
    "You are a voice assistant for Home Assistant. Use the tools to control devices.\n"
    "Devices: Kitchen Light (area Kitchen), Porch Light (area Outside)."
)
TOOLS: list[Any] = [
    {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "area": {"type": "string"}},
                "required": ["name"],
            },
        },
    }
    for name, description in (
        ("HassTurnOn", "Turns on a device or entity"),
        ("HassTurnOff", "Turns off a device or entity"),
    )
]


def client(server: LlmServer) -> OpenAI:
    return OpenAI(base_url=f"{server.base_url}/v1", api_key="unused", timeout=300)


def ask(text: str) -> list[Any]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}]


def test_health_reports_the_loaded_model(tool_server: LlmServer) -> None:
    response = httpx.get(f"{tool_server.base_url}/health")
    assert response.status_code == 200
    health = response.json()
    assert health["status"] == "ok"
    assert health["model"] == TOOL_MODEL
    assert health["ctx"] == 2048


def test_models_lists_the_model(tool_server: LlmServer) -> None:
    assert [model.id for model in client(tool_server).models.list()] == [TOOL_MODEL]


def test_command_becomes_a_structured_tool_call(tool_server: LlmServer) -> None:
    completion = client(tool_server).chat.completions.create(
        model=TOOL_MODEL,
        messages=ask("turn on the kitchen light"),
        tools=TOOLS,
        temperature=0,
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls
    call = choice.message.tool_calls[0]
    assert call.type == "function"
    assert call.function.name == "HassTurnOn"
    arguments = json.loads(call.function.arguments)
    assert "kitchen" in arguments["name"].lower()


def test_streamed_command_becomes_tool_call_deltas(tool_server: LlmServer) -> None:
    stream = client(tool_server).chat.completions.create(
        model=TOOL_MODEL,
        messages=ask("switch off the porch light"),
        tools=TOOLS,
        temperature=0,
        stream=True,
    )
    calls = [call for chunk in stream for call in (chunk.choices[0].delta.tool_calls or [])]
    assert [call.function.name for call in calls if call.function] == ["HassTurnOff"]
    assert calls[0].function is not None
    arguments = json.loads(calls[0].function.arguments or "")
    assert "porch" in arguments["name"].lower()


def test_question_with_tools_gets_a_spoken_answer(tool_server: LlmServer) -> None:
    completion = client(tool_server).chat.completions.create(
        model=TOOL_MODEL,
        messages=ask("What is the capital of France? One word."),
        tools=TOOLS,
        temperature=0,
        max_tokens=20,
    )
    message = completion.choices[0].message
    assert not message.tool_calls
    assert "paris" in (message.content or "").lower()
    assert "functions." not in (message.content or "")


def test_json_schema_response_format_is_enforced(tool_server: LlmServer) -> None:
    schema = {
        "type": "object",
        "properties": {
            "area": {"type": "string", "enum": ["Kitchen", "Outside"]},
            "on": {"type": "boolean"},
        },
        "required": ["area", "on"],
        "additionalProperties": False,
    }
    completion = client(tool_server).chat.completions.create(
        model=TOOL_MODEL,
        messages=ask("Where is the porch light, and should it be on at night?"),
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "light", "schema": schema, "strict": True},
        },
        temperature=0,
        max_tokens=40,
    )
    answer = json.loads(completion.choices[0].message.content or "")
    assert set(answer) == {"area", "on"}
    assert answer["area"] in ("Kitchen", "Outside")
    assert isinstance(answer["on"], bool)


def test_unknown_route_and_bad_request_get_http_errors(tool_server: LlmServer) -> None:
    assert httpx.get(f"{tool_server.base_url}/nope").status_code == 404
    response = httpx.post(
        f"{tool_server.base_url}/v1/chat/completions",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]["message"]
    response = httpx.post(
        f"{tool_server.base_url}/v1/chat/completions",
        json={"messages": [{"role": "robot", "content": "hi"}]},
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("invalid request: messages.0")
    assert "Traceback" not in tool_server.log()
    assert httpx.get(f"{tool_server.base_url}/health").json()["status"] == "ok"


def test_tool_result_is_read_and_answered_in_words(tool_server: LlmServer) -> None:
    messages = [
        *ask("turn on the kitchen light"),
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "HassTurnOn", "arguments": '{"name": "Kitchen Light"}'},
                }
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "call_1",
            "content": '{"success": true, "targets": ["Kitchen Light"], "state": "on"}',
        },
    ]
    completion = client(tool_server).chat.completions.create(
        model=TOOL_MODEL, messages=messages, tools=TOOLS, temperature=0, max_tokens=30
    )
    message = completion.choices[0].message
    assert completion.choices[0].finish_reason == "stop"
    assert not message.tool_calls
    assert message.content
    assert "kitchen" in message.content.lower()


def test_required_tool_choice_always_calls_a_tool(tool_server: LlmServer) -> None:
    completion = client(tool_server).chat.completions.create(
        model=TOOL_MODEL,
        messages=ask("it is too dark in the kitchen"),
        tools=TOOLS,
        tool_choice="required",
        temperature=0,
    )
    calls = completion.choices[0].message.tool_calls or []
    assert calls
    assert calls[0].type == "function"
    assert calls[0].function.name in ("HassTurnOn", "HassTurnOff")
    assert json.loads(calls[0].function.arguments)["name"]

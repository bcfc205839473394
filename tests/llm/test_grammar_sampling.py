"""Constrained replies under `--grammar-sampling lazy` (the default) against `full`.

Lazy sampling only asks the grammar about the token the model chose; it must still
return replies the schema allows, and with temperature 0 the very same replies as
constraining every token.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .conftest import TOOL_MODEL, LlmServer, start_server, wait_until_ready
from .test_server import TOOLS, ask, client

pytestmark = pytest.mark.usefixtures("socket_enabled")

NAMES = ["Kitchen Light", "Porch Light", "Living Room Lamp", "Ceiling Fan"]
PLAN: dict[str, Any] = {
    "type": "object",
    "properties": {
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "intent": {"type": "string", "enum": ["HassTurnOn", "HassTurnOff"]},
                    "name": {"type": "string", "enum": NAMES},
                },
                "required": ["intent", "name"],
                "additionalProperties": False,
            },
            "minItems": 1,
            "maxItems": 3,
        },
        "confirm": {"type": "boolean"},
    },
    "required": ["actions", "confirm"],
    "additionalProperties": False,
}
UTTERANCES = [
    "turn on the kitchen light",
    "switch off the porch light and the ceiling fan",
    "it is too dark in the living room",
]


@pytest.fixture(scope="module")
def full_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlmServer]:
    server = start_server(
        tmp_path_factory.mktemp("llm-full"),
        *("--model", TOOL_MODEL, "--ctx", "2048", "--grammar-sampling", "full"),
    )
    try:
        yield wait_until_ready(server)
    finally:
        server.stop()


def schema_problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Where `value` breaks `schema` (the JSON Schema keywords PLAN uses)."""
    kind = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "boolean": bool}
    if kind in types and not isinstance(value, types[kind]):
        return [f"{where}: {value!r} is not of type {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} is not one of {schema['enum']}"]
    problems: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        problems += [
            f"{where}: {key} is missing" for key in schema.get("required", ()) if key not in value
        ]
        if schema.get("additionalProperties") is False:
            problems += [f"{where}: {key} is not allowed" for key in value if key not in properties]
        for key, item in value.items():
            if key in properties:
                problems += schema_problems(item, properties[key], f"{where}.{key}")
    if isinstance(value, list):
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            problems.append(f"{where}: {len(value)} items")
        for index, item in enumerate(value):
            problems += schema_problems(item, schema["items"], f"{where}[{index}]")
    return problems


def plan(server: LlmServer, utterance: str) -> str:
    completion = client(server).chat.completions.create(
        model=TOOL_MODEL,
        messages=[
            {"role": "system", "content": f"Plan device actions. Devices: {', '.join(NAMES)}."},
            {"role": "user", "content": utterance},
        ],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "plan", "schema": PLAN, "strict": True},
        },
        temperature=0,
        max_tokens=80,
    )
    return completion.choices[0].message.content or ""


def test_lazy_is_the_default(tool_server: LlmServer, full_server: LlmServer) -> None:
    assert httpx.get(f"{tool_server.base_url}/health").json()["grammar_sampling"] == "lazy"
    assert httpx.get(f"{full_server.base_url}/health").json()["grammar_sampling"] == "full"


@pytest.mark.parametrize("utterance", UTTERANCES)
def test_plan_follows_the_schema_and_matches_full_sampling(
    tool_server: LlmServer, full_server: LlmServer, utterance: str
) -> None:
    reply = plan(tool_server, utterance)
    assert schema_problems(json.loads(reply), PLAN) == []
    assert reply == plan(full_server, utterance)


def tool_call(server: LlmServer, utterance: str) -> tuple[str, str]:
    completion = client(server).chat.completions.create(
        model=TOOL_MODEL, messages=ask(utterance), tools=TOOLS, temperature=0
    )
    calls = completion.choices[0].message.tool_calls or []
    assert calls
    assert calls[0].type == "function"
    return calls[0].function.name, calls[0].function.arguments


def test_tool_call_matches_full_sampling(tool_server: LlmServer, full_server: LlmServer) -> None:
    name, arguments = tool_call(tool_server, "turn off the porch light")
    assert name == "HassTurnOff"
    assert "porch" in json.loads(arguments)["name"].lower()
    assert (name, arguments) == tool_call(full_server, "turn off the porch light")

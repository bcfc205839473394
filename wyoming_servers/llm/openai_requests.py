"""OpenAI request bodies made acceptable to llama-cpp-python's server, or refused clearly.

llama-cpp-python rejects some valid OpenAI requests and answers invalid ones with a 500
and a traceback. Here, before a request reaches it:
- `response_format: {"type": "json_schema", "json_schema": {"schema": ...}}` becomes
  its `{"type": "json_object", "schema": ...}`, which it turns into a grammar;
- an assistant turn with `content: null` (a tool-call turn, as OpenAI clients send it)
  gets empty content, which renders the same;
- the model's name is filled in, so that a reply never names the model's file;
- a body that is not JSON, nests too deeply, holds NaN or Infinity, asks for values out
  of range (`request_limits`) or still does not validate is refused with a 400 and a
  one-line reason.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ValidationError

from .request_limits import (
    NonFiniteNumber,
    ServedModel,
    chat_problem,
    completion_problem,
    is_finite_number,
)

CHAT_PATH = "/v1/chat/completions"
COMPLETION_PATH = "/v1/completions"


def translate_response_format(request: dict[str, Any]) -> dict[str, Any]:
    """OpenAI `json_schema` response formats become llama-cpp-python's schema form."""
    response_format = request.get("response_format")
    if not isinstance(response_format, dict) or response_format.get("type") != "json_schema":
        return request
    spec = response_format.get("json_schema")
    schema = spec.get("schema") if isinstance(spec, dict) else None
    translated: dict[str, Any] = {"type": "json_object"}
    if isinstance(schema, dict):
        translated["schema"] = schema
    return {**request, "response_format": translated}


def fill_null_assistant_content(request: dict[str, Any]) -> dict[str, Any]:
    """Assistant turns with `content: null` (tool-call turns) get empty content."""
    messages = request.get("messages")
    if not isinstance(messages, list) or not any(_null_assistant(m) for m in messages):
        return request
    return {
        **request,
        "messages": [{**m, "content": ""} if _null_assistant(m) else m for m in messages],
    }


def _null_assistant(message: Any) -> bool:
    return (
        isinstance(message, dict)
        and message.get("role") == "assistant"
        and message.get("content") is None
    )


def _request_model(path: str) -> type[BaseModel] | None:
    from llama_cpp.server.types import CreateChatCompletionRequest, CreateCompletionRequest

    models: dict[str, type[BaseModel]] = {
        CHAT_PATH: CreateChatCompletionRequest,
        COMPLETION_PATH: CreateCompletionRequest,
    }
    return models.get(path)


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"][:3])
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"invalid request: {where}: {problem['msg']}{more}"


MAX_DEPTH = 64  # OpenAI bodies (tool schemas included) nest far less


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed body (without recursion)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, level + 1) for child in children)
    return deepest


def _parsed(body: bytes) -> Any:
    """The JSON body, or a `_Refusal` that says why it cannot be read."""
    try:
        request = json.loads(body, parse_constant=_no_constant, parse_float=is_finite_number)
    except RecursionError:
        return _Refusal("the request body is nested too deeply")
    except NonFiniteNumber:
        return _Refusal("the request body holds a number that is not finite (NaN, Infinity)")
    except ValueError:
        return _Refusal("the request body is not valid JSON")
    if _depth(request) > MAX_DEPTH:
        return _Refusal(f"the request body is nested more than {MAX_DEPTH} levels deep")
    return request


class _Refusal(str):
    """The reason a body is refused (a distinct type, so that a JSON string is not one)."""


def _no_constant(name: str) -> float:
    raise NonFiniteNumber(name)


def checked_body(path: str, body: bytes, served: ServedModel) -> bytes | str:
    """The body to forward (possibly rewritten), or the one-line reason to refuse it."""
    request = _parsed(body)
    if isinstance(request, _Refusal):
        return str(request)
    if not isinstance(request, dict):
        return "the request body must be a JSON object"
    model = _request_model(path)
    if model is None:
        return body
    problem = chat_problem if path == CHAT_PATH else completion_problem
    if reason := problem(request, served):
        return reason
    rewritten = fill_null_assistant_content(translate_response_format(request))
    try:
        model.model_validate(rewritten)
    except ValidationError as err:
        return _first_problem(err)
    # Replies name the model; without one in the request they would name its file.
    return json.dumps({**rewritten, "model": served.name}).encode()

"""OpenAI request bodies made acceptable to llama-cpp-python's server, or refused clearly.

llama-cpp-python rejects some valid OpenAI requests and answers invalid ones with a 500
and a traceback. Here, before a request reaches it:
- `response_format: {"type": "json_schema", "json_schema": {"schema": ...}}` becomes
  its `{"type": "json_object", "schema": ...}`, which it turns into a grammar;
- an assistant turn with `content: null` (a tool-call turn, as OpenAI clients send it)
  gets empty content, which renders the same;
- a body that still does not validate is refused with a 400 and a one-line reason.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ValidationError

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


def checked_body(path: str, body: bytes) -> bytes | str:
    """The body to forward (possibly rewritten), or the one-line reason to refuse it."""
    try:
        request = json.loads(body)
    except ValueError:
        return "the request body is not valid JSON"
    if not isinstance(request, dict):
        return "the request body must be a JSON object"
    model = _request_model(path)
    if model is None:
        return body
    rewritten = fill_null_assistant_content(translate_response_format(request))
    try:
        model.model_validate(rewritten)
    except ValidationError as err:
        return _first_problem(err)
    return body if rewritten is request else json.dumps(rewritten).encode()

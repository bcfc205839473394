"""The values a request may ask of the model, checked before it reaches llama-cpp-python.

llama-cpp-python accepts a temperature of -1e9 or NaN, no messages, a `null` user
message, any model name, and a `max_tokens` of 0, -5, `null` or 10^12 (all meaning "until
the context is full"), and answers with 200. Others (logprobs, a grammar that does not
parse, a token id outside the vocabulary) end in a 500 with a traceback. Each check here
returns the one-line reason a request is refused, or None.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# OpenAI's ranges, and llama.cpp's for its own parameters.
FLOAT_RANGES: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 2.0),
    "top_p": (0.0, 1.0),
    "min_p": (0.0, 1.0),
    "typical_p": (0.0, 1.0),
    "presence_penalty": (-2.0, 2.0),
    "frequency_penalty": (-2.0, 2.0),
    "repeat_penalty": (0.0, 10.0),
    "tfs_z": (0.0, 1.0),
    "mirostat_tau": (0.0, 10.0),
    "mirostat_eta": (0.001, 1.0),
}
INT_RANGES: dict[str, tuple[int, int]] = {
    "top_k": (0, 1 << 20),
    "seed": (0, (1 << 32) - 1),
    "n": (1, 1),
    "best_of": (1, 1),
    "mirostat_mode": (0, 2),
}
MAX_STOP_SEQUENCES = 16


@dataclass(frozen=True)
class ServedModel:
    """What a request is checked against: the model's name, context and vocabulary."""

    name: str
    ctx: int
    vocab: int
    grammar_parses: Callable[[str], bool] = lambda _grammar: True


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _range_problem(request: dict[str, Any]) -> str | None:
    for key, (low, high) in FLOAT_RANGES.items():
        value = request.get(key)
        if value is None:
            continue
        if not _is_number(value) or not low <= value <= high:
            return f"{key} must be a number from {low:g} to {high:g}"
    for key, (low, high) in INT_RANGES.items():
        value = request.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return f"{key} must be a whole number from {low} to {high}"
    return None


def _token_problem(request: dict[str, Any], served: ServedModel) -> str | None:
    """`max_tokens` (required to be a count the context can hold) and `min_tokens`."""
    if "max_tokens" in request:
        value = request["max_tokens"]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= served.ctx:
            return f"max_tokens must be a whole number from 1 to {served.ctx} (the context size)"
    value = request.get("min_tokens")
    if value is not None and (not isinstance(value, int) or not 0 <= value <= served.ctx):
        return f"min_tokens must be a whole number from 0 to {served.ctx}"
    return None


def _model_problem(request: dict[str, Any], served: ServedModel) -> str | None:
    model = request.get("model")
    if model is None or model == served.name:
        return None
    shown = model if isinstance(model, str) else "(not a string)"
    return f"model {shown[:80]!r} is not served here; this server serves {served.name!r}"


def _logit_bias_problem(request: dict[str, Any], served: ServedModel) -> str | None:
    bias = request.get("logit_bias")
    if bias is None:
        return None
    problem = f"logit_bias must map token ids (0 to {served.vocab - 1}) to numbers"
    if not isinstance(bias, dict) or request.get("logit_bias_type") == "tokens":
        return None if isinstance(bias, dict) else problem
    for token, value in bias.items():
        if not token.isdecimal() or int(token) >= served.vocab or not _is_number(value):
            return problem
    return None


def _feature_problem(request: dict[str, Any], served: ServedModel) -> str | None:
    """Options this server does not offer, refused before they fail inside the model."""
    if request.get("logprobs") or request.get("top_logprobs"):
        return "logprobs are not supported by this server"
    grammar = request.get("grammar")
    if grammar is not None and not (isinstance(grammar, str) and served.grammar_parses(grammar)):
        return "grammar is not a valid GBNF grammar"
    stop = request.get("stop")
    if isinstance(stop, list) and len(stop) > MAX_STOP_SEQUENCES:
        return f"stop may hold at most {MAX_STOP_SEQUENCES} sequences"
    return None


def _content_problem(request: dict[str, Any]) -> str | None:
    messages = request.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages must be a list of at least one message"
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        if message.get("role") != "assistant" and message.get("content") is None:
            return f"messages.{index}.content must not be null (role {message.get('role')!r})"
    return None


def _prompt_problem(request: dict[str, Any]) -> str | None:
    prompt = request.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1:
        prompt = prompt[0]
    if not isinstance(prompt, str) or not prompt:
        return "prompt must be one text that is not empty"
    return None


Check = Callable[[dict[str, Any], ServedModel], "str | None"]
_CHECKS: tuple[Check, ...] = (
    _model_problem,
    lambda request, _: _range_problem(request),
    _token_problem,
    _logit_bias_problem,
    _feature_problem,
)


def chat_problem(request: dict[str, Any], served: ServedModel) -> str | None:
    """Why a chat completion request is refused, or None."""
    return _content_problem(request) or _first_problem(request, served)


def completion_problem(request: dict[str, Any], served: ServedModel) -> str | None:
    """Why a text completion request is refused, or None."""
    return _prompt_problem(request) or _first_problem(request, served)


def _first_problem(request: dict[str, Any], served: ServedModel) -> str | None:
    for check in _CHECKS:
        if problem := check(request, served):
            return problem
    return None


def is_finite_number(text: str) -> float:
    """`json.loads` hook for numbers with a fraction or exponent: refuses inf (1e999)."""
    value = float(text)
    if not math.isfinite(value):
        raise NonFiniteNumber(text)
    return value


class NonFiniteNumber(ValueError):
    """NaN, Infinity, or a number too large for a float: not a JSON number a model takes."""

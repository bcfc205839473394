"""Tool-calling chat format for the think path, with six gaps of upstream's closed.

It is built on llama-cpp-python's `chatml-function-calling`; the gaps closed:

- Requests with `tools` but no `tool_choice` (what OpenAI clients send by default)
  were answered as if no tools were given; here they mean `"auto"`, as in OpenAI's API.
- Its template has no place for `tool` messages, so the model never saw a tool's result
  (and the prompt was left malformed). Here each result goes into a user turn wrapped
  in `<tool_response>` tags, the way Qwen2.5 models were trained to read them.
- When the model chooses to answer in words, upstream constrains the answer with the
  grammar meant for "another call or stop", so the reply comes back empty or as
  `functions.<name>:`. Here the reply is free text, or follows the request's
  `response_format` schema when one is given.
- `tool_choice: "required"` failed; here the model must pick one of the tools.
- Its template HTML-escapes what it renders (`"` became `&#34;` in every message, so
  the model saw and then wrote escaped JSON); here message texts and tool descriptions
  are passed as already-safe markup, so they reach the model as written.
- Upstream refuses `stream=True` when the model picks a tool (it raises). Here the calls
  are generated as usual and sent as stream chunks, so a streaming client gets
  structured `tool_calls` deltas; word replies still stream token by token.

Prompts, grammars and the tool-call JSON constraint are upstream's, unchanged, so the
system+tools prefix is byte-identical from one request to the next and stays in the KV
cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from llama_cpp import llama_chat_format
from llama_cpp.llama_grammar import LlamaGrammar
from markupsafe import Markup

NAME = "chatml-function-calling"
_UPSTREAM = llama_chat_format.chatml_function_calling
_MESSAGE_PREFIX = "message:\n"
_STREAMING_UNSUPPORTED = "Automatic streaming tool choice is not supported"


class _ToolTurnLlama:
    """A view of the model for one request that fixes the word-reply grammar.

    It also remembers the tool/word decision, so a retry does not generate it again.
    """

    def __init__(self, llama: Any, reply_grammar: Any, decision_grammar: Any = None) -> None:
        self._llama = llama
        self._reply_grammar = reply_grammar
        self._decision_grammar = decision_grammar
        self._decisions: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._llama, name)

    def create_completion(self, **kwargs: Any) -> Any:
        prompt = kwargs.get("prompt")
        if isinstance(prompt, str) and prompt.endswith(_MESSAGE_PREFIX):
            kwargs["grammar"] = self._reply_grammar
        if kwargs.get("stop") == [":"] and not kwargs.get("stream"):
            if self._decision_grammar is not None:
                kwargs["grammar"] = self._decision_grammar
            key = str(prompt)
            if key not in self._decisions:
                self._decisions[key] = self._llama.create_completion(**kwargs)
            return self._decisions[key]
        return self._llama.create_completion(**kwargs)


def _as_chunks(response: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A complete tool-call response, replayed as OpenAI stream chunks."""
    message = response["choices"][0]["message"]
    base = {
        "id": response["id"],
        "object": "chat.completion.chunk",
        "created": response["created"],
        "model": response["model"],
    }
    calls = [
        {"index": index, "id": call["id"], "type": "function", "function": call["function"]}
        for index, call in enumerate(message.get("tool_calls") or [])
    ]
    delta: dict[str, Any] = {"role": "assistant", "content": message.get("content")}
    if calls:
        delta["tool_calls"] = calls
    yield {
        **base,
        "choices": [{"index": 0, "delta": delta, "finish_reason": None, "logprobs": None}],
    }
    yield {
        **base,
        "choices": [
            {
                "index": 0,
                "delta": {},
                "logprobs": None,
                "finish_reason": response["choices"][0]["finish_reason"],
            }
        ],
    }


def _text(content: Any) -> str:
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return "" if content is None else str(content)


def with_tool_results(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tool results as user turns the chatml template renders.

    Earlier turns stay unchanged, so the prompt prefix stays byte-identical.
    """
    if not any(message.get("role") == "tool" for message in messages):
        return messages
    return [
        {"role": "user", "content": f"<tool_response>\n{_text(m.get('content'))}\n</tool_response>"}
        if m.get("role") == "tool"
        else m
        for m in messages
    ]


def _verbatim(value: Any) -> Any:
    """A string the template's HTML autoescaping leaves as it is."""
    # Not HTML: the chat template renders plain text for the model.
    return Markup(value) if isinstance(value, str) else value


def unescaped(messages: list[dict[str, Any]], tools: Any) -> tuple[list[dict[str, Any]], Any]:
    """Messages, tool-call arguments and tool descriptions marked as verbatim text."""
    marked = []
    for original in messages:
        message = {**original, "content": _verbatim(original.get("content"))}
        if calls := message.get("tool_calls"):
            message["tool_calls"] = [
                {**call, "function": {**fn, "arguments": _verbatim(fn.get("arguments"))}}
                if isinstance(fn := call.get("function"), dict)
                else call
                for call in calls
            ]
        marked.append(message)
    if isinstance(tools, list):
        tools = [
            {**tool, "function": {**fn, "description": _verbatim(fn.get("description"))}}
            if isinstance(fn := tool.get("function"), dict)
            else tool
            for tool in tools
        ]
    return marked, tools


def _tools_only_grammar(tools: list[dict[str, Any]]) -> Any:
    """`tool_choice: "required"`: the first decision may only name a tool."""
    names = [tool.get("function", tool).get("name") for tool in tools]
    choices = " | ".join(f'"functions.{name}:"' for name in names)
    return LlamaGrammar.from_string(f"root ::= {choices}\n", verbose=False)


def tool_chat_handler(*, llama: Any, **kwargs: Any) -> Any:
    """`LlamaChatCompletionHandler` for chatml prompts with grammar-constrained tools."""
    messages = with_tool_results(list(kwargs.get("messages") or []))
    kwargs["messages"], kwargs["tools"] = unescaped(messages, kwargs.get("tools"))
    tools = kwargs.get("tools") or kwargs.get("functions")
    if tools and kwargs.get("tool_choice") is None and kwargs.get("function_call") is None:
        kwargs["tool_choice"] = "auto"  # OpenAI's default when tools are given
    decision_grammar = None
    if kwargs.get("tool_choice") == "required" and tools:
        kwargs["tool_choice"] = "auto"
        decision_grammar = _tools_only_grammar(tools)
    if kwargs.get("tool_choice") != "auto" or not tools:
        return _UPSTREAM(llama=llama, **kwargs)
    response_format = kwargs.get("response_format")
    reply_grammar = (
        llama_chat_format._grammar_for_response_format(response_format) if response_format else None
    )
    view = _ToolTurnLlama(llama, reply_grammar, decision_grammar)
    if not kwargs.get("stream"):
        return _UPSTREAM(llama=view, **kwargs)
    try:
        return _UPSTREAM(llama=view, **kwargs)
    except ValueError as err:
        if str(err) != _STREAMING_UNSUPPORTED:
            raise
    return _as_chunks(_UPSTREAM(llama=view, **{**kwargs, "stream": False}))


def register() -> None:
    """Make `--chat-format chatml-function-calling` use the fixed handler."""
    registry = llama_chat_format.LlamaChatCompletionHandlerRegistry()  # type: ignore[no-untyped-call]
    registry.register_chat_completion_handler(NAME, tool_chat_handler, overwrite=True)

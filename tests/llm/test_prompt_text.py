"""Message text reaches the model as written.

The chat template must not HTML-escape quotes, ampersands or angle brackets (JSON
examples in a prompt are full of them).
"""

from __future__ import annotations

from typing import Any

import pytest
from openai import OpenAI

from .conftest import TOOL_MODEL, LlmServer

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _prompt_tokens(server: LlmServer, text: str, with_tools: bool) -> int:
    client = OpenAI(base_url=f"{server.base_url}/v1", api_key="unused", timeout=300)
    tools: list[dict[str, object]] = [
        {"type": "function", "function": {"name": "Noop", "parameters": {"type": "object"}}}
    ]
    extra: dict[str, Any] = {"tools": tools} if with_tools else {}
    response = client.chat.completions.create(
        model=TOOL_MODEL,
        messages=[{"role": "system", "content": text}, {"role": "user", "content": "hi"}],
        max_tokens=1,
        **extra,
    )
    assert response.usage is not None
    return int(response.usage.prompt_tokens)


@pytest.mark.parametrize("with_tools", [False, True])
def test_quotes_are_not_html_escaped(tool_server: LlmServer, with_tools: bool) -> None:
    quoted = _prompt_tokens(tool_server, '{"a":"b"} ' * 30, with_tools)
    # The same text as an escaping template would have rendered it.
    escaped = _prompt_tokens(tool_server, "{&#34;a&#34;:&#34;b&#34;} " * 30, with_tools)
    assert escaped - quoted > 150, (quoted, escaped)

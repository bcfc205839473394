"""Listing the model never waits for a generation: Home Assistant checks the endpoint
(set-up, reload, the options form) while the model may be busy with a long request.
"""

from __future__ import annotations

import threading

import pytest
from openai import OpenAI

from .conftest import TOOL_MODEL, LlmServer

pytestmark = pytest.mark.usefixtures("socket_enabled")


def test_models_are_listed_while_the_model_is_generating(tool_server: LlmServer) -> None:
    client = OpenAI(base_url=f"{tool_server.base_url}/v1", api_key="unused", timeout=300)
    events: list[str] = []
    first_chunk = threading.Event()

    def generate() -> None:
        stream = client.chat.completions.create(
            model=TOOL_MODEL,
            messages=[{"role": "user", "content": "Count from 1 to 40, one number per line."}],
            max_tokens=80,
            temperature=0,
            stream=True,
        )
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                events.append("chunk")
                first_chunk.set()
        first_chunk.set()

    generation = threading.Thread(target=generate)
    generation.start()
    assert first_chunk.wait(timeout=300)
    listed = [model.id for model in client.models.list()]
    events.append("models")
    generation.join(timeout=300)
    assert listed == [TOOL_MODEL]
    # The list came back while the reply was still being written.
    assert "chunk" in events[events.index("models") :]

"""Listing the model never waits for a generation.

Home Assistant checks the endpoint (set-up, reload, the options form) while the model
may be busy with a long request. The order is shown by cause, not by time: the list is
fetched while a stream is open, then the stream's client leaves, and the server reports
that it stopped that generation. Had the list waited for the model, the generation
would have run to its end before the list came back, and nothing would be stopped.
"""

from __future__ import annotations

import httpx
import pytest

from .conftest import SMALL_MODEL, LlmServer
from .test_client_gone import LONG, WAIT_S, health, read_first_chunk, send_long_request

pytestmark = pytest.mark.usefixtures("socket_enabled")


def test_models_are_listed_while_the_model_is_generating(small_server: LlmServer) -> None:
    before = health(small_server)
    connection = send_long_request(small_server, stream=True)
    read_first_chunk(connection)
    listed = httpx.get(f"{small_server.base_url}/v1/models", timeout=WAIT_S).json()
    connection.close()
    assert [model["id"] for model in listed["data"]] == [SMALL_MODEL]
    reply = httpx.post(
        f"{small_server.base_url}/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "Say hi."}], "max_tokens": 1},
        timeout=WAIT_S,
    )
    assert reply.status_code == 200, reply.text
    after = health(small_server)
    assert after["stopped_generations"] == before["stopped_generations"] + 1
    assert after["generated_tokens"] - before["generated_tokens"] < LONG + 1

"""A client that leaves stops its generation, so the next request does not wait for it.

Whether the generation stopped is read from the server's own token count
(`generated_tokens` in `GET /health`), not from how long anything took. Each abandoned
request must generate LONG tokens to finish (`min_tokens` keeps the model from ending
early), so a count far below that shows that the server stopped it.
"""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import httpx
import pytest

from .conftest import LlmServer

pytestmark = pytest.mark.usefixtures("socket_enabled")

LONG = 300
WAIT_S = 300  # bound on waiting for the server, never reached when it works


def health(server: LlmServer) -> dict[str, Any]:
    response = httpx.get(f"{server.base_url}/health", timeout=30)
    response.raise_for_status()
    payload: dict[str, Any] = response.json()
    return payload


def send_long_request(server: LlmServer, stream: bool) -> socket.socket:
    body = json.dumps(
        {
            "messages": [{"role": "user", "content": "Count from one to a thousand in words."}],
            "max_tokens": LONG,
            "min_tokens": LONG,
            "stream": stream,
        }
    ).encode()
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT_S)
    connection.sendall(
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: llm\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    )
    return connection


def read_first_chunk(connection: socket.socket) -> None:
    received = b""
    while b"data: {" not in received:
        chunk = connection.recv(65536)
        assert chunk, "the server closed the stream before its first chunk"
        received += chunk


def wait_for_tokens(server: LlmServer, more_than: int) -> None:
    deadline = time.monotonic() + WAIT_S
    while health(server)["generated_tokens"] <= more_than:
        assert time.monotonic() < deadline, "the model never started generating"
        time.sleep(0.05)


def answer_after(server: LlmServer, before: dict[str, Any]) -> int:
    """Tokens the abandoned request generated, once a short request has been answered."""
    reply = httpx.post(
        f"{server.base_url}/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "Say hi."}], "max_tokens": 2},
        timeout=WAIT_S,
    )
    assert reply.status_code == 200, reply.text
    short = reply.json()["usage"]["completion_tokens"]
    after = health(server)
    assert after["stopped_generations"] == before["stopped_generations"] + 1
    return int(after["generated_tokens"] - before["generated_tokens"] - short)


def test_generation_stops_when_a_waiting_client_leaves(small_server: LlmServer) -> None:
    before = health(small_server)
    connection = send_long_request(small_server, stream=False)
    wait_for_tokens(small_server, before["generated_tokens"])
    connection.close()
    assert answer_after(small_server, before) < LONG
    assert "the client left: stopped generating after" in small_server.log()


def test_generation_stops_when_a_streaming_client_leaves(small_server: LlmServer) -> None:
    before = health(small_server)
    connection = send_long_request(small_server, stream=True)
    read_first_chunk(connection)
    connection.close()
    assert answer_after(small_server, before) < LONG
    log = small_server.log()
    assert "Traceback" not in log
    assert all(line.startswith("{") for line in log.splitlines())

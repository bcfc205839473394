"""Requests the server must refuse with a 400 and an OpenAI-style error body.

Each refusal leaves the server serving: a valid request afterwards is answered, and the
log has no traceback.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import httpx
import pytest

from .conftest import SMALL_MODEL, LlmServer

pytestmark = pytest.mark.usefixtures("socket_enabled")

CHAT = "/v1/chat/completions"
HELLO = [{"role": "user", "content": "Say hi."}]


def valid(**changes: Any) -> dict[str, Any]:
    return {"messages": HELLO, "max_tokens": 2, **changes}


def post(server: LlmServer, body: bytes, path: str = CHAT) -> httpx.Response:
    return httpx.post(
        f"{server.base_url}{path}",
        content=body,
        headers={"content-type": "application/json"},
        timeout=300,
    )


def assert_refused(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert isinstance(error["message"], str)
    assert error["message"]
    return str(error["message"])


NONSENSE = {
    "temperature -1": valid(temperature=-1),
    "temperature -1e9": valid(temperature=-1e9),
    "temperature 1e9": valid(temperature=1e9),
    "max_tokens -5": valid(max_tokens=-5),
    "max_tokens 0": valid(max_tokens=0),
    "max_tokens 10^12": valid(max_tokens=10**12),
    "max_tokens null": valid(max_tokens=None),
    "no messages": valid(messages=[]),
    "user content null": valid(messages=[{"role": "user", "content": None}]),
    "logprobs": valid(logprobs=True, top_logprobs=2),
    "grammar that does not parse": valid(grammar="root ::= ("),
}


@pytest.mark.parametrize("body", NONSENSE.values(), ids=NONSENSE.keys())
def test_out_of_range_values_are_refused(small_server: LlmServer, body: dict[str, Any]) -> None:
    assert_refused(post(small_server, json.dumps(body).encode()))


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(small_server: LlmServer, literal: str) -> None:
    body = json.dumps(valid(temperature=0.5)).replace("0.5", literal)
    assert_refused(post(small_server, body.encode()))


def test_completion_with_zero_max_tokens_is_refused(small_server: LlmServer) -> None:
    body = {"prompt": "Hello", "max_tokens": 0}
    assert_refused(post(small_server, json.dumps(body).encode(), "/v1/completions"))


@pytest.mark.parametrize("depth", [5_000, 20_000])
def test_deeply_nested_body_is_refused(small_server: LlmServer, depth: int) -> None:
    assert_refused(post(small_server, b"[" * depth))
    assert "Traceback" not in small_server.log()


def test_unknown_model_is_refused_naming_the_served_one(small_server: LlmServer) -> None:
    message = assert_refused(post(small_server, json.dumps(valid(model="gpt-4")).encode()))
    assert "gpt-4" in message
    assert SMALL_MODEL in message


def test_reply_names_the_model_not_its_file(small_server: LlmServer) -> None:
    for body in (valid(), valid(model=SMALL_MODEL), valid(model=None)):
        response = post(small_server, json.dumps(body).encode())
        assert response.status_code == 200, response.text
        assert response.json()["model"] == SMALL_MODEL
    stream = post(small_server, json.dumps(valid(stream=True)).encode())
    chunks = [
        json.loads(line.removeprefix("data: "))
        for line in stream.text.splitlines()
        if line.startswith("data: {")
    ]
    assert chunks
    assert {chunk["model"] for chunk in chunks} == {SMALL_MODEL}


def test_server_still_answers_after_refusals(small_server: LlmServer) -> None:
    for body in NONSENSE.values():
        assert_refused(post(small_server, json.dumps(body).encode()))
    response = post(small_server, json.dumps(valid()).encode())
    assert response.status_code == 200, response.text
    assert response.json()["choices"][0]["message"]["content"]
    log = small_server.log()
    assert "Traceback" not in log
    assert "Exception" not in log


@pytest.mark.parametrize(
    "head",
    [
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: llm\r\nContent-Length: 500\r\n\r\n{",
        b"GET /health HTTP/9.9\r\nHost: llm\r\n",
        b"\x8f\x00\x17random bytes without a line break",
        b"",
    ],
    ids=["body shorter than its length", "HTTP/9.9 head never ends", "random bytes", "nothing"],
)
def test_incomplete_request_is_closed(small_server: LlmServer, head: bytes) -> None:
    with socket.create_connection(("127.0.0.1", small_server.port), timeout=60) as connection:
        connection.sendall(head)
        received = b""
        while chunk := connection.recv(4096):  # until the server closes the connection
            received += chunk
    assert received.startswith((b"HTTP/1.1 408 ", b"HTTP/1.1 400 ")), received


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (CHAT, {"a": {"a": 1}}),
        ("/v1/completions", {"a": {"a": 1}}),
        ("/v1/completions", {"prompt": "", "max_tokens": 2}),
        ("/v1/completions", {"prompt": ["one", "two"], "max_tokens": 2}),
    ],
    ids=["chat without messages", "completion without prompt", "empty prompt", "two prompts"],
)
def test_request_without_input_is_refused(
    small_server: LlmServer, path: str, body: dict[str, Any]
) -> None:
    assert_refused(post(small_server, json.dumps(body).encode(), path))

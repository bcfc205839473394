"""Fuzz the LLM server's HTTP front: malformed JSON, out-of-range values, bad framing.

`fuzz_llm(cases, time_cap)` starts `hybrid-voice-llm` on the small model, sends `cases`
hypothesis-generated requests, each on its own connection (raw bytes, so that the HTTP
framing can be broken too), and returns the tally `bench/fuzz.py` reports: error replies
(4xx), connections closed without an answer, hangs (no answer and no close within
HANG_S), internal errors (5xx), crashes (the server exited), tracebacks or task
exceptions in the log, RSS and descriptors before and after, and whether a valid request
still works afterwards. Requests that are valid generate at most 3 tokens, so the
campaign measures the front, not the model. Run it as
`.venv/ha/bin/python -m bench.fuzz --target llm --cases 10000`.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bench.local_process import console_script

MODEL = "qwen2.5-coder-0.5b-q4"
READ_TIMEOUT_S = 1.0  # the server's --read-timeout: incomplete requests cost this long
HANG_S = 10.0
EXAMPLES_KEPT = 3  # requests that hung or got a 5xx, quoted in the tally
LOG_PROBLEMS = ("Traceback", "Task exception", "Exception in ASGI application")
READY = re.compile(r'"ready: \S+ on http://[^:]+:(\d+)/v1')
Json = Any

_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, 1, 2, -1, 0.5, 1e9, -1e9, 10**12]),
)
_junk: st.SearchStrategy[Json] = st.one_of(
    st.none(), st.booleans(), _numbers, st.text(max_size=20), st.lists(st.none(), max_size=2)
)
_text = st.text(max_size=40)  # any code point, lone surrogates included
_message = st.fixed_dictionaries(
    {"role": st.sampled_from(["user", "system", "assistant", "tool", "robot"])},
    optional={"content": st.one_of(_text, st.none(), _junk), "tool_call_id": _text},
)
_SAMPLING = ("temperature", "top_p", "min_p", "top_k", "presence_penalty", "frequency_penalty")
_OTHER = ("repeat_penalty", "seed", "n", "min_tokens", "mirostat_mode", "logprobs", "stop")


@st.composite
def chat_request(draw: st.DrawFn) -> Json:
    """A chat request with a few fields out of range or of the wrong type."""
    request: dict[str, Json] = {
        "messages": draw(
            st.one_of(
                st.just([{"role": "user", "content": "Say hi."}]),
                st.lists(_message, max_size=3),
                _junk,
            )
        ),
        "max_tokens": draw(st.one_of(st.integers(1, 3), _junk)),
    }
    for key in draw(st.lists(st.sampled_from(_SAMPLING + _OTHER), max_size=3, unique=True)):
        request[key] = draw(st.one_of(_numbers, _junk))
    if draw(st.booleans()):
        request["model"] = draw(st.one_of(st.just(MODEL), _text, _junk))
    if draw(st.integers(0, 4)) == 0:
        request["stream"] = True
    extra = draw(st.sampled_from(["", "grammar", "logit_bias", "response_format", "tools"]))
    if extra:
        request[extra] = draw(st.one_of(_junk, _text, st.dictionaries(_text, _junk, max_size=2)))
    return request


def _nested(depth: int, opener: str) -> bytes:
    if opener == "[":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


_bodies = st.one_of(
    chat_request().map(lambda request: json.dumps(request).encode()),
    chat_request().map(lambda request: json.dumps(request).replace("1", "NaN", 1).encode()),
    chat_request().map(lambda request: json.dumps(request).encode()[:-3]),  # truncated
    st.binary(max_size=200),
    st.text(max_size=100).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.builds(
        _nested, st.sampled_from([63, 64, 65, 1000, 5000, 20000]), st.sampled_from(["[", "{"])
    ),
)
_PATHS = ["/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/health", "/nope"]


@st.composite
def http_request(draw: st.DrawFn) -> bytes:
    """Raw bytes of one request: mostly a fuzzed body in sound framing, sometimes not."""
    body: bytes = draw(_bodies)
    path = draw(st.sampled_from(_PATHS))
    framing = draw(
        st.sampled_from(["sound"] * 6 + ["long", "short", "bad-length", "version", "raw"])
    )
    if framing == "raw":
        raw: bytes = draw(st.binary(min_size=1, max_size=300))
        return raw
    length = {"long": len(body) + 100, "short": max(0, len(body) - 5)}.get(framing, len(body))
    length_header = (
        b"Content-Length: -4" if framing == "bad-length" else b"Content-Length: %d" % length
    )
    version = (
        draw(st.sampled_from([b"HTTP/9.9", b"HTTP/1.1 x", b"HTTX"]))
        if framing == "version"
        else b"HTTP/1.1"
    )
    head = b"POST " + path.encode() + b" " + version + b"\r\nHost: llm\r\nConnection: close\r\n"
    return head + b"Content-Type: application/json\r\n" + length_header + b"\r\n\r\n" + body


def send(port: int, raw: bytes) -> str:
    """Send one request on its own connection; how it ended (a status class or event)."""
    with socket.create_connection(("127.0.0.1", port), timeout=HANG_S) as connection:
        try:
            connection.sendall(raw)
            received = b""
            while chunk := connection.recv(65536):
                received += chunk
        except TimeoutError:
            return "hang"
        except OSError:
            return "close"  # reset while sending: the server refused the rest
    match = re.match(rb"HTTP/1\.1 (\d)\d\d ", received)
    return f"{match[1].decode()}xx" if match else "close"


class LlmServerProcess:
    """`hybrid-voice-llm` on the small model, with a short read timeout."""

    def __init__(self, log_dir: Path) -> None:
        """Start the server and wait until its model is loaded."""
        self.log_path = log_dir / "llm.log"
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [
                    console_script("hybrid-voice-llm"),
                    *("--uri", "tcp://127.0.0.1:0", "--model", MODEL, "--ctx", "512"),
                    *("--threads", "2", "--log-format", "json"),
                    *("--read-timeout", str(READ_TIMEOUT_S)),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 300
        while not (found := READY.search(self.log())):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"hybrid-voice-llm did not start:\n{self.log()[-3000:]}")
            time.sleep(0.2)
        self.port = int(found[1])

    def log(self) -> str:
        """The server's log so far."""
        return self.log_path.read_text(errors="replace")

    def sample(self) -> dict[str, int]:
        """RSS (kB) and open descriptors of the server."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status)[1])  # type: ignore[index]
        return {"rss_kb": rss, "fds": len(os.listdir(f"/proc/{self.process.pid}/fd"))}

    def valid_request_works(self) -> bool:
        """Whether a valid chat request is answered with words."""
        body = json.dumps({"messages": [{"role": "user", "content": "Say hi."}], "max_tokens": 3})
        raw = (
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: llm\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
        ) + body.encode()
        with socket.create_connection(("127.0.0.1", self.port), timeout=120) as connection:
            connection.sendall(raw)
            received = b""
            while chunk := connection.recv(65536):
                received += chunk
        head, _, reply = received.partition(b"\r\n\r\n")
        return head.startswith(b"HTTP/1.1 200 ") and bool(
            json.loads(reply)["choices"][0]["message"]["content"]
        )

    def stop(self) -> None:
        """SIGTERM, then wait."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _settled_fds(server: LlmServerProcess, baseline: int) -> int:
    """Descriptors once connections closing at the end of the run are gone (<= 15 s)."""
    deadline = time.monotonic() + 15
    while (fds := server.sample()["fds"]) > baseline and time.monotonic() < deadline:
        time.sleep(0.2)
    return fds


def fuzz_llm(cases: int, time_cap: float | None) -> dict[str, Any]:
    """Run `cases` fuzzed requests against a fresh server; the tally for the report."""
    outcomes: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        server = LlmServerProcess(Path(scratch))
        try:
            # One valid request first: the model's first reply after loading pages its
            # weights in (seconds on a busy machine), which is no hang of the request
            # that happens to come first.
            if not server.valid_request_works():
                raise RuntimeError(f"hybrid-voice-llm did not answer:\n{server.log()[-3000:]}")
            before = server.sample()

            @settings(
                max_examples=cases,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(http_request())
            def campaign(raw: bytes) -> None:
                if time_cap is not None and time.monotonic() - started > time_cap:
                    return
                if server.process.poll() is not None:
                    outcomes["crash"] += 1
                    return
                outcome = send(server.port, raw)
                outcomes[outcome] += 1
                kept = examples.setdefault(outcome, [])
                if outcome in ("hang", "5xx") and len(kept) < EXAMPLES_KEPT:
                    kept.append(repr(raw[:300]))

            campaign()
            valid_after = server.process.poll() is None and server.valid_request_works()
            after = {**server.sample(), "fds": _settled_fds(server, before["fds"])}
        finally:
            server.stop()
        log = server.log()
    problems = sum(log.count(problem) for problem in LOG_PROBLEMS)
    return {
        "cases": sum(outcomes.values()),
        "ok_replies": outcomes["2xx"],
        "error_replies": outcomes["4xx"],
        "closes": outcomes["close"],
        "hangs": outcomes["hang"],
        "crashes": outcomes["crash"],
        "internal_errors": outcomes["5xx"],
        "task_exceptions": problems,
        "before": before,
        "after": after,
        "valid_request_after": valid_after,
        "seconds": time.monotonic() - started,
        "examples": {kind: kept for kind, kept in examples.items() if kept},
    }

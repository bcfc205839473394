"""Run `hybrid-voice-llm` as a real process on a real stored model.

The server binds port 0 and logs the port it got, so no socket is needed to start it;
the tests that talk to it request `socket_enabled`.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import console_script

SCRIPT = "hybrid-voice-llm"
TOOL_MODEL = "qwen2.5-coder-1.5b-q4"  # the 0.5B model often answers in words instead
SMALL_MODEL = "qwen2.5-coder-0.5b-q4"
READY = re.compile(r"^ready: (?P<model>\S+) on http://[^:]+:(?P<port>\d+)/v1")


@dataclass
class LlmServer:
    process: subprocess.Popen[str]
    log_path: Path
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def messages(self) -> list[str]:
        """The message of every structured (JSON) log line."""
        return [json.loads(line)["message"] for line in self.log().splitlines() if line]

    def stop(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_server(log_dir: Path, *args: str) -> LlmServer:
    log_path = log_dir / f"{SCRIPT}-{time.monotonic_ns()}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                console_script(SCRIPT),
                "--uri",
                "tcp://127.0.0.1:0",
                "--threads",
                "2",
                "--log-format",
                "json",
                *args,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(os.environ),
        )
    return LlmServer(process, log_path)


def wait_until_ready(server: LlmServer, timeout: float = 300) -> LlmServer:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.log_path.stat().st_size:
            for line in server.log().splitlines():
                if line.startswith("{") and (match := READY.match(json.loads(line)["message"])):
                    server.port = int(match["port"])
                    return server
        if server.process.poll() is not None:
            raise RuntimeError(f"{SCRIPT} exited with {server.process.returncode}:\n{server.log()}")
        time.sleep(0.2)
    server.stop()
    raise TimeoutError(f"{SCRIPT} did not become ready:\n{server.log()}")


@pytest.fixture(scope="module")
def tool_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlmServer]:
    """One server with the tool-calling model, shared by a module's tests."""
    server = start_server(tmp_path_factory.mktemp("llm"), "--model", TOOL_MODEL, "--ctx", "2048")
    try:
        yield wait_until_ready(server)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlmServer]:
    """One server with the small model (fast), shared by a module's tests."""
    server = start_server(
        tmp_path_factory.mktemp("llm"),
        "--model",
        SMALL_MODEL,
        "--ctx",
        "1024",
        "--read-timeout",
        "2",
    )
    try:
        yield wait_until_ready(server)
    finally:
        server.stop()

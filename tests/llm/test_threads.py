"""`--threads auto` (the default): as many model threads as other processes leave CPUs free."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from wyoming_servers.llm.thread_choice import threads_for
from wyoming_shared.cpu_budget import others_running

from .conftest import SMALL_MODEL, start_server, wait_until_ready

pytestmark = pytest.mark.usefixtures("socket_enabled")

CHANGE = re.compile(r"model threads: (\d+) -> (\d+)")


@pytest.mark.parametrize(
    ("free", "most", "threads"),
    [
        (2.0, 2, 2),
        (1.8, 2, 2),  # the others use a fifth of a CPU: both still count
        (1.5, 2, 1),  # half a CPU taken: a second thread would wait for it
        (1.0, 2, 1),
        (0.1, 2, 1),  # always at least one
        (3.9, 2, 2),  # never more than allowed
        (5.0, 8, 5),
    ],
)
def test_threads_follow_the_free_cpus(free: float, most: int, threads: int) -> None:
    assert threads_for(free, most) == threads


def test_a_process_that_keeps_a_cpu_busy_runs_beside_this_one() -> None:
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)
        seen = [others_running() for _ in range(5)]
    finally:
        busy.kill()
        busy.wait()
    # The busy loop is always running or ready to run; this test's own thread is not counted.
    assert all(count is not None and count >= 1 for count in seen), seen


def _ask(base_url: str) -> str:
    reply = httpx.post(
        f"{base_url}/v1/chat/completions",
        json={
            "messages": [{"role": "user", "content": "Say one word."}],
            "max_tokens": 8,
            "temperature": 0,
        },
        timeout=120,
    )
    reply.raise_for_status()
    content: str = reply.json()["choices"][0]["message"]["content"]
    return content


def test_a_busy_cpu_is_left_to_its_process(tmp_path: Path) -> None:
    cpus = os.process_cpu_count() or 1
    if cpus < 2:
        pytest.skip("needs at least two CPUs to leave one to another process")
    server = wait_until_ready(
        start_server(tmp_path, "--model", SMALL_MODEL, "--threads", "auto", "--debug")
    )
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        health = httpx.get(f"{server.base_url}/health", timeout=10).json()
        time.sleep(1.5)  # the gauge averages over about a second
        assert _ask(server.base_url)
    finally:
        busy.kill()
        busy.wait()
        server.stop()
    assert health["adaptive_threads"] is True
    assert health["threads"] == cpus
    # Started with every CPU; with one held by the busy loop it went down before a batch.
    # (--debug also lets llama.cpp print its own lines into the log: not JSON.)
    changes = CHANGE.findall(server.log())
    assert changes, server.log()
    assert int(changes[0][0]) == cpus
    assert int(changes[0][1]) < cpus
    assert f"up to {cpus} free" in server.log()

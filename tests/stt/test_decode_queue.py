"""The decode queue's admission: one request decodes, `max_waiting` wait, more are refused.

The queue runs in the servers' environment (`queue_probe.py`) with a transcriber that
holds its worker until released, so the order of events is fixed. The end-to-end check
of the `busy` answer over TCP is in `test_bad_input.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.servers import run_in_servers_env


@pytest.fixture(scope="module")
def probe() -> dict[str, Any]:
    return run_in_servers_env(Path(__file__).with_name("queue_probe.py"))


def test_a_final_request_beyond_the_waiting_limit_is_refused_as_busy(
    probe: dict[str, Any],
) -> None:
    assert probe["waiting_while_held"] == 1
    assert probe["third_final"] == "refused: server busy: 1 requests are already waiting"


def test_speculative_decodes_do_not_count_against_the_limit(probe: dict[str, Any]) -> None:
    assert probe["results"] == ["1", "2", "4"]  # in order: running, waiting, speculative


def test_the_queue_accepts_again_once_the_worker_is_free(probe: dict[str, Any]) -> None:
    assert probe["after_release"] == "5"

"""Random and mutated event streams against the STT server (see tests/fuzz/)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.fuzz.campaign import run_campaign
from tests.servers import RunningServer
from tests.stt.client import transcribe
from tests.stt.speech import speak, words

pytestmark = pytest.mark.usefixtures("socket_enabled")

KITCHEN = "turn on the kitchen light"


def test_random_streams_leave_the_server_serving(stt_server: RunningServer, tmp_path: Path) -> None:
    clip = speak(KITCHEN, tmp_path)

    def transcribes() -> bool:
        reply = asyncio.run(transcribe(stt_server.port, clip))
        return words(reply.transcript) == words(KITCHEN)

    tally = run_campaign("stt", stt_server, transcribes)
    assert tally.troubles == [], "\n".join(tally.troubles)
    assert tally.cases > 0
    assert tally.error_replies > 0  # the streams did reach the checks for bad input

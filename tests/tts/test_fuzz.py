"""Random and mutated event streams against the TTS server (see tests/fuzz/)."""

from __future__ import annotations

import asyncio

import pytest

from tests.fuzz.campaign import run_campaign
from tests.fuzz.raw_client import RawClient, types
from tests.servers import RunningServer

from .speech_client import RATE, WIDTH

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def _speaks(port: int) -> bool:
    async with RawClient(port) as client:
        await client.send_event("synthesize", {"text": "Turn on the kitchen light."})
        events = await client.read_until("audio-stop")
    audio = sum(len(event.payload or b"") for event in events if event.type == "audio-chunk")
    return types(events) == ["audio-start", "audio-stop"] and audio > RATE * WIDTH


def test_random_streams_leave_the_server_serving(tts_server: RunningServer) -> None:
    tally = run_campaign("tts", tts_server, lambda: asyncio.run(_speaks(tts_server.port)))
    assert tally.troubles == [], "\n".join(tally.troubles)
    assert tally.cases > 0
    assert tally.error_replies > 0  # the streams did reach the checks for bad input

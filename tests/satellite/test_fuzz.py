"""Random and mutated event streams against the satellite (see tests/fuzz/)."""

from __future__ import annotations

import asyncio

import pytest

from tests.fuzz.campaign import run_campaign
from tests.fuzz.raw_client import RawClient
from tests.servers import RunningServer

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def _serves(port: int) -> bool:
    """Describes itself, runs for a new Home Assistant connection, answers its ping."""
    async with RawClient(port) as client:
        await client.send_event("describe")
        info = await client.read_until("info")
        await client.send_event("run-satellite")
        await client.send_event("ping", {"text": "after the fuzz"})
        pong = await client.read_until("pong")
    return "satellite" in info[-1].data and pong[-1].data.get("text") == "after the fuzz"


def test_random_streams_leave_the_satellite_serving(quiet_satellite: RunningServer) -> None:
    tally = run_campaign(
        "satellite", quiet_satellite, lambda: asyncio.run(_serves(quiet_satellite.port))
    )
    assert tally.troubles == [], "\n".join(tally.troubles)
    assert tally.cases > 0
    assert tally.error_replies > 0  # the streams did reach the checks for bad input

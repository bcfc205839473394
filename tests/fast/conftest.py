"""The Realtime stand-in on a loopback port and a fast-path session connected to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from bench.realtime_standin import RealtimeStandin, running_standin
from bench.realtime_standin_script import FunctionCall, ScriptedReply, StandinScript
from custom_components.hybrid_voice.engine.home_model import ExposedHome
from custom_components.hybrid_voice.fast.cloud_request import (
    DEFAULT_FAST_INSTRUCTIONS,
    HAND_OFF_TOOL,
    FastTurn,
    PrivateWords,
    build_cloud_request,
)
from custom_components.hybrid_voice.fast.realtime_session import (
    RealtimeSession,
    RealtimeSettings,
)

API_KEY = "sk-test-standin-key"
JOKE = "Why did the scarecrow win an award? Because he was outstanding in his field."
DEFAULT_REPLY = "Paris is the capital of France."
SCRIPT = StandinScript(
    replies=[
        ScriptedReply(when="joke", text=JOKE),
        ScriptedReply(when="my house", call=FunctionCall(HAND_OFF_TOOL, {})),
        ScriptedReply(when="stock price", call=FunctionCall("get_stock_price", {"t": "X"})),
    ],
    default=DEFAULT_REPLY,
)
SETTINGS = RealtimeSettings(
    base_url="",
    api_key=API_KEY,
    model="gpt-realtime-mini",
    first_delta_timeout=3.0,
    idle_timeout=3.0,
    connect_timeout=3.0,
    backoff_base=0.05,
    settle_timeout=1.0,
)
NO_HOME = PrivateWords.of(ExposedHome(entities=[]))


@pytest.fixture
async def standin(socket_enabled: Any) -> AsyncIterator[RealtimeStandin]:
    """The stand-in with the test script, accepting only `API_KEY`."""
    async with running_standin(RealtimeStandin(SCRIPT, api_key=API_KEY)) as server:
        yield server


class Recorder:
    """What the session reported: token usage per reply, and auth failures."""

    def __init__(self) -> None:
        self.timeline: list[str] = []
        self.usages: list[dict[str, Any]] = []
        self.auth_failures = 0

    def usage(self, usage: dict[str, Any]) -> None:
        self.usages.append(usage)
        self.timeline.append("response.done")

    def auth_failed(self) -> None:
        self.auth_failures += 1


@asynccontextmanager
async def connected_session(
    hass: HomeAssistant, standin: RealtimeStandin, *, wait: bool = True, **overrides: Any
) -> AsyncIterator[tuple[RealtimeSession, Recorder]]:
    """A started session on Home Assistant's shared client session; stopped after."""
    recorder = Recorder()
    settings = replace(SETTINGS, base_url=standin.base_url, **overrides)
    config = build_cloud_request(DEFAULT_FAST_INSTRUCTIONS, NO_HOME).session
    session = RealtimeSession(
        async_get_clientsession(hass),
        settings,
        config,
        on_usage=recorder.usage,
        on_auth_failed=recorder.auth_failed,
    )
    session.start()
    try:
        if wait:
            await wait_until(lambda: session.connected)
        yield session, recorder
    finally:
        await session.async_stop()


async def wait_until(condition: Any, limit: float = 10.0) -> None:
    """Poll `condition` until true; a hang fails the test instead of blocking it."""
    async with asyncio.timeout(limit):
        while not condition():  # noqa: ASYNC110 (state of other objects, no event to wait on)
            await asyncio.sleep(0.01)


async def ask(session: RealtimeSession, text: str, history: tuple[FastTurn, ...] = ()) -> list[str]:
    """The deltas of the reply to `text`, as the privacy boundary sends it."""
    response = build_cloud_request(DEFAULT_FAST_INSTRUCTIONS, NO_HOME, text=text, history=history)
    assert response.response is not None
    return [delta async for delta in session.reply(response.response)]

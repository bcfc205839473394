"""The fast-path latency measurement inside Home Assistant's test harness.

Run by `bench/fast_latency.py` (not part of the test suite). A real Home Assistant runs
the agent with the Realtime stand-in as its cloud (answering after the plan's latency);
each chit-chat turn goes through `conversation.async_converse`, and a chat-log delta
listener notes when the first words arrive. The stand-in notes, in the same process and
clock, when it received `response.create` and when it sent the first delta, so its own
wait is subtracted exactly: what remains is the agent's added latency.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp import web
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import chat_session
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped,unused-ignore]
    MockConfigEntry,
)

import custom_components  # noqa: F401  (before the hass fixture: HA must find our integration)
from bench.fast_latency_plan import LatencyPlan, TurnTiming
from bench.realtime_standin import RealtimeStandin, running_standin
from custom_components.hybrid_voice.const import (
    CONF_MODEL,
    CONF_OPENAI_KEY,
    CONF_REALTIME_URL,
    CONF_URL,
    DOMAIN,
)

KEY = "sk-latency-bench"
UTTERANCES = ("tell me a joke", "what is the capital of France?", "how far away is the moon?")


@pytest.fixture(autouse=True)
def _harness(enable_custom_integrations: Any, socket_enabled: Any) -> None:
    """Our integration loads, and sockets to 127.0.0.1 are allowed."""


@asynccontextmanager
async def _model_list() -> AsyncIterator[str]:
    """A think-path endpoint that only lists its model (the set-up check needs one)."""

    async def models(_request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": "bench"}]})

    app = web.Application()
    app.router.add_get("/v1/models", models)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
    finally:
        await runner.cleanup()


async def _turn(
    hass: HomeAssistant, agent_id: str, text: str, conversation_id: str | None
) -> tuple[float, float | None, str]:
    """(start, first words in the chat log, conversation id) of one turn."""
    first: list[float] = []

    def listener(_chat_log: conversation.ChatLog, delta: dict[str, Any]) -> None:
        if delta.get("content") and not first:
            first.append(time.monotonic())

    with (
        chat_session.async_get_chat_session(hass, conversation_id) as session,
        conversation.async_get_chat_log(hass, session, chat_log_delta_listener=listener),
    ):
        started = time.monotonic()
        await conversation.async_converse(
            hass, text, session.conversation_id, Context(), "en", agent_id
        )
        return started, (first[0] if first else None), session.conversation_id


async def test_fast_latency(hass: HomeAssistant, latency_plan: LatencyPlan) -> None:
    """Time a first turn and `latency_plan.turns` more chit-chat turns, 4 per conversation."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    standin = RealtimeStandin(api_key=KEY, latency_ms=latency_plan.latency_ms)
    async with _model_list() as think_url, running_standin(standin):
        entry = MockConfigEntry(
            domain=DOMAIN,
            title="bench",
            data={CONF_URL: think_url},
            options={
                CONF_MODEL: "bench",
                CONF_OPENAI_KEY: KEY,
                CONF_REALTIME_URL: standin.base_url,
            },
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        fast = entry.runtime_data.fast
        assert fast is not None
        assert fast.session is not None
        while not fast.session.connected:
            await hass.async_block_till_done()
            await asyncio.sleep(0.01)
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        assert agent_id is not None
        # The first turn loads Home Assistant's sentence matching: timed, reported apart.
        conversation_id: str | None = None
        for index in range(latency_plan.turns + 1):
            if index % 4 == 0:
                conversation_id = None
            text = UTTERANCES[index % len(UTTERANCES)]
            started, first, conversation_id = await _turn(hass, agent_id, text, conversation_id)
            record = standin.accepted[-1]
            creates = [i for i, e in enumerate(record.events) if e["type"] == "response.create"]
            deltas = [
                i for i, e in enumerate(record.sent) if e["type"] == "response.output_text.delta"
            ]
            created_at = record.received_at[creates[-1]]
            first_sent = next(record.sent_at[i] for i in deltas if record.sent_at[i] >= created_at)
            assert first is not None, "the fast path did not answer"
            latency_plan.record(
                index == 0,
                TurnTiming(
                    text=text,
                    total=first - started,
                    before_cloud=created_at - started,
                    cloud=first_sent - created_at,
                    after_cloud=first - first_sent,
                ),
            )
        latency_plan.connections = len(standin.connections)
        await hass.config_entries.async_unload(entry.entry_id)

"""A hybrid agent in a real Home Assistant, with the Realtime stand-in as its cloud.

A scripted OpenAI-compatible endpoint is the local model, and a small home has names
and states that must never reach the cloud.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped,unused-ignore]
    MockConfigEntry,
)

from bench.realtime_standin import RealtimeStandin
from custom_components.hybrid_voice.const import (
    CONF_FAST_TIMEOUT,
    CONF_INSTANT,
    CONF_MODEL,
    CONF_OPENAI_KEY,
    CONF_REALTIME_URL,
    DOMAIN,
)
from tests.agent.conftest import LIGHTS, async_add_agent, async_setup_home

from .conftest import API_KEY, wait_until

THINK_ANSWER = "The Bedroom Light is off and the Aquarium Temperature is 24.5."
AQUARIUM = ("sensor.aquarium_temperature", "Aquarium Temperature", "24.5")


async def async_setup_test_home(hass: HomeAssistant) -> None:
    """Three lights in three areas and an aquarium sensor, all exposed."""
    await async_setup_home(hass)
    sensor = {"friendly_name": AQUARIUM[1], "value_template": AQUARIUM[2], "unique_id": "aq"}
    assert await async_setup_component(
        hass,
        "sensor",
        {"sensor": [{"platform": "template", "sensors": {"aquarium_temperature": sensor}}]},
    )
    await hass.async_block_till_done()
    async_expose_entity(hass, "conversation", AQUARIUM[0], True)


def home_words(hass: HomeAssistant) -> list[str]:
    """Every entity id, name, area and state of the test home, and the think answer."""
    words = [THINK_ANSWER]
    for object_id, (name, area) in LIGHTS.items():
        words += [f"light.{object_id}", object_id, name, area]
    words += list(AQUARIUM)
    words += [state.state for state in hass.states.async_all(("light", "sensor"))]
    return words


@dataclass
class ThinkModel:
    """The local model's endpoint: it answers THINK_ANSWER, or 503 while `down`."""

    url: str = ""
    down: bool = False
    requests: list[Any] = field(default_factory=list)  # streamed (answering) requests
    refused: int = 0  # requests answered 503


@asynccontextmanager
async def think_model() -> AsyncIterator[ThinkModel]:
    """An OpenAI-compatible endpoint on 127.0.0.1 standing for the local model."""
    model = ThinkModel()
    reply = json.dumps({"answer": THINK_ANSWER})

    async def models(_request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": "scripted"}]})

    async def chat(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        if model.down:
            model.refused += 1
            return web.json_response({"error": {"message": "loading"}}, status=503)
        if not body.get("stream"):  # the prompt-cache warm-up
            return web.json_response(_completion("{"))
        model.requests.append(body)
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for delta in ({"role": "assistant", "content": reply}, {}):
            chunk = _completion("") | {"object": "chat.completion.chunk"}
            chunk["choices"] = [{"index": 0, "delta": delta, "finish_reason": None}]
            await response.write(f"data: {json.dumps(chunk)}\n\n".encode())
        await response.write(b"data: [DONE]\n\n")
        return response

    app = web.Application()
    app.router.add_get("/v1/models", models)
    app.router.add_post("/v1/chat/completions", chat)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    model.url = f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
    try:
        yield model
    finally:
        await runner.cleanup()


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "c",
        "object": "chat.completion",
        "created": 0,
        "model": "scripted",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "length",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


@dataclass
class HybridAgent:
    """A loaded agent and what its two paths saw."""

    hass: HomeAssistant
    entry: MockConfigEntry
    agent_id: str
    think: ThinkModel

    @property
    def think_requests(self) -> list[Any]:
        """The requests the local model answered."""
        return self.think.requests

    async def connected(self) -> None:
        """Until the entry's Realtime connection is open (after a (re)load)."""
        fast = self.entry.runtime_data.fast
        assert fast is not None
        assert fast.session is not None
        session = fast.session
        await wait_until(lambda: session.connected)

    async def ask(
        self, text: str, conversation_id: str | None = None
    ) -> conversation.ConversationResult:
        """One turn through Home Assistant's conversation API."""
        return await conversation.async_converse(
            self.hass, text, conversation_id, Context(), language="en", agent_id=self.agent_id
        )

    async def speech(self, text: str, conversation_id: str | None = None) -> str:
        """What the agent says to `text`."""
        result = await self.ask(text, conversation_id)
        return str(result.response.speech["plain"]["speech"])


@asynccontextmanager
async def hybrid_agent(
    hass: HomeAssistant,
    standin: RealtimeStandin,
    *,
    connect: bool = True,
    **options: Any,
) -> AsyncIterator[HybridAgent]:
    """The agent with the stand-in as its cloud; `options` override the defaults."""
    await async_setup_test_home(hass)
    async with think_model() as think:
        entry = await async_add_agent(
            hass,
            think.url,
            **{
                CONF_INSTANT: False,
                CONF_MODEL: "scripted",
                CONF_OPENAI_KEY: API_KEY,
                CONF_REALTIME_URL: standin.base_url,
                CONF_FAST_TIMEOUT: 1.0,
                **options,
            },
        )
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        assert agent_id is not None
        agent = HybridAgent(hass, entry, agent_id, think)
        if connect:
            await agent.connected()
        try:
            yield agent
        finally:
            await hass.config_entries.async_unload(entry.entry_id)

"""A failing model or action.

When the local model or an action fails, the user hears a short reason, the response
is an error, and nothing runs that should not; what did run is said.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent

from custom_components.hybrid_voice.const import CONF_INSTANT, CONF_MODEL, CONF_TIMEOUT, DOMAIN

from .conftest import async_add_agent, async_setup_home
from .web_servers import (
    DropMidStream,
    Hang,
    HttpError,
    Reply,
    StallAfter,
    reply_delta,
    scripted_model,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def _converse(hass: HomeAssistant, reply: Reply, text: str, **options: Any) -> Any:
    async with scripted_model([reply]) as (url, requests):
        entry = await async_add_agent(
            hass, url, **{CONF_INSTANT: False, CONF_MODEL: "scripted", **options}
        )
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        result = await conversation.async_converse(
            hass, text, None, Context(), language="en", agent_id=agent_id
        )
        if isinstance(reply, StallAfter):
            await asyncio.wait_for(reply.left.wait(), 5)  # the stream was closed, not left open
    return result, requests


@pytest.mark.parametrize(
    ("reply", "options", "reason"),
    [
        (Hang(), {CONF_TIMEOUT: 1}, "the local model took too long"),
        (DropMidStream(reply_delta('["turn_on Kit')), {}, "the local model"),
        (HttpError(500), {}, "the local model failed"),
    ],
    ids=["times out", "drops the connection mid-stream", "answers 500"],
)
async def test_a_failing_model_is_an_error_that_changes_nothing(
    hass: HomeAssistant, reply: Reply, options: dict[str, Any], reason: str
) -> None:
    await async_setup_home(hass)
    result, requests = await _converse(hass, reply, "turn on the kitchen light", **options)
    assert requests  # the request reached the model
    assert result.response.response_type is intent.IntentResponseType.ERROR
    speech = result.response.speech["plain"]["speech"]
    assert speech.startswith(f"I couldn't do that: {reason}")
    assert all(state.state == "off" for state in hass.states.async_all("light"))


@pytest.mark.parametrize(
    ("text", "reply", "speech"),
    [
        ("turn on the kitchen light", '["turn_on Kitchen Light"]', "Turned on Kitchen Light."),
        ("is the kitchen light on?", '{"answer":"No, it is off."}', "No, it is off."),
    ],
    ids=["plan", "answer"],
)
async def test_a_whole_plan_is_carried_out_before_the_stream_ends(
    hass: HomeAssistant, text: str, reply: str, speech: str
) -> None:
    """The model's last pass (its end of text) is not waited for: nothing can follow."""
    await async_setup_home(hass)
    stalled = StallAfter(reply_delta(reply))
    result, _requests = await _converse(hass, stalled, text, **{CONF_TIMEOUT: 5})
    assert stalled.left.is_set()
    assert result.response.speech["plain"]["speech"] == speech
    assert result.response.response_type is not intent.IntentResponseType.ERROR
    assert hass.states.is_state("light.kitchen_light", "on") is text.startswith("turn on")


async def test_actions_that_ran_are_said_with_those_that_failed(hass: HomeAssistant) -> None:
    await async_setup_home(hass, twin_lights=True)
    plan = reply_delta('["turn_on Kitchen Light","turn_on Porch Light"]')
    result, requests = await _converse(hass, plan, "turn on the kitchen light and the porch light")
    speech = result.response.speech["plain"]["speech"]
    assert speech == (
        "Turned on Kitchen Light. I couldn't do that: more than one device has that name."
    )
    assert result.response.response_type is intent.IntentResponseType.ACTION_DONE
    assert len(requests) == 1  # what ran is not asked for again
    assert hass.states.is_state("light.kitchen_light", "on")
    assert hass.states.is_state("light.porch_light", "off")
    assert hass.states.is_state("light.porch_light_2", "off")

"""A model that misbehaves.

A model that misbehaves gets one chance to correct itself, then the user hears a
short reason; nothing runs that should not, and the log names the conversation.
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent

from custom_components.hybrid_voice.const import CONF_INSTANT, CONF_MODEL, DOMAIN

from .conftest import async_add_agent, async_setup_home
from .web_servers import reply_delta, scripted_model

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (
            reply_delta('{"actions": [{"name": "Kitchen Light", "action": "explode"}]}'),
            "cannot 'explode'",
        ),
        (reply_delta('{"actions": [{"name": "Kitchen Light"'), "not valid JSON"),
        (
            reply_delta('{"actions": [{"name": "Attic Fan", "action": "turn_on"}]}'),
            "no device called",
        ),
        (
            # A device the request is not about: the bedroom light stays off as well.
            reply_delta('{"actions": [{"name": "Bedroom Light", "action": "turn_on"}]}'),
            "does not mention Bedroom Light",
        ),
        (reply_delta("functions.HassTurnOn:\n{}"), "not valid JSON"),
    ],
)
async def test_bad_tool_call_is_retried_once_then_explained(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture, reply: dict[str, Any], reason: str
) -> None:
    await async_setup_home(hass)
    async with scripted_model([reply]) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False, CONF_MODEL: "scripted"})
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        result = await conversation.async_converse(
            hass, "turn on the kitchen light", None, Context(), language="en", agent_id=agent_id
        )
    speech = result.response.speech["plain"]["speech"]
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert speech.startswith("I couldn't do that:")
    assert reason in speech
    assert len(requests) == 2  # the error went back to the model once
    assert reason in requests[1]["messages"][-1]["content"]
    # Every request constrains the reply to the plan schema.
    assert requests[0]["response_format"]["type"] == "json_schema"
    assert all(state.state == "off" for state in hass.states.async_all("light"))
    assert result.conversation_id is not None
    assert result.conversation_id in caplog.text


async def test_corrected_call_runs_after_the_error_went_back(hass: HomeAssistant) -> None:
    await async_setup_home(hass)
    replies = [
        reply_delta('{"actions": [{"name": "Attic Fan", "action": "turn_on"}]}'),
        reply_delta('{"actions": [{"name": "kitchen lights", "action": "turn_on"}]}'),
    ]
    async with scripted_model(replies) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False, CONF_MODEL: "scripted"})
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        result = await conversation.async_converse(
            hass, "turn on the kitchen light", None, Context(), language="en", agent_id=agent_id
        )
    assert len(requests) == 2
    assert result.response.response_type is intent.IntentResponseType.ACTION_DONE
    assert result.response.speech["plain"]["speech"] == "Turned on Kitchen Light."
    light = hass.states.get("light.kitchen_light")
    assert light is not None
    assert light.state == "on"

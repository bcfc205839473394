"""Talking to the agent: instant tier, think path with the real model, two turns."""

from __future__ import annotations

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent

from custom_components.hybrid_voice.const import CONF_INSTANT, DOMAIN

from .conftest import async_add_agent, async_setup_home

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def _agent(hass: HomeAssistant, llm_url: str, *, instant: bool) -> str:
    await async_setup_home(hass)
    entry = await async_add_agent(hass, llm_url, **{CONF_INSTANT: instant})
    entity_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
    assert entity_id is not None
    return entity_id


async def _say(
    hass: HomeAssistant, agent_id: str, text: str, conversation_id: str | None = None
) -> conversation.ConversationResult:
    return await conversation.async_converse(
        hass, text, conversation_id, Context(), language="en", agent_id=agent_id
    )


def _others_off(hass: HomeAssistant) -> bool:
    """Whether the lights the requests did not name are still off."""
    return all(
        hass.states.is_state(other, "off")
        for other in ("light.living_room_lamp", "light.bedroom_light")
    )


def _speech(result: conversation.ConversationResult) -> str:
    return str(result.response.speech["plain"]["speech"])


async def test_instant_tier_turns_on_a_light_without_the_model(
    hass: HomeAssistant, llm_url: str
) -> None:
    agent_id = await _agent(hass, llm_url, instant=True)
    result = await _say(hass, agent_id, "turn on the kitchen light")
    assert hass.states.is_state("light.kitchen_light", "on")
    # Home Assistant's sentence matcher answered: the response carries its intent.
    assert result.response.intent is not None
    assert result.response.intent.intent_type == "HassTurnOn"
    assert _speech(result)


async def test_think_path_turns_on_a_light_with_the_local_model(
    hass: HomeAssistant, llm_url: str
) -> None:
    agent_id = await _agent(hass, llm_url, instant=False)
    result = await _say(hass, agent_id, "turn on the kitchen light")
    assert hass.states.is_state("light.kitchen_light", "on")
    assert result.response.intent is None
    assert "Kitchen Light" in _speech(result)
    assert _others_off(hass)


async def test_second_turn_uses_the_first_turns_context(hass: HomeAssistant, llm_url: str) -> None:
    agent_id = await _agent(hass, llm_url, instant=False)
    first = await _say(hass, agent_id, "turn on the kitchen light")
    assert hass.states.is_state("light.kitchen_light", "on")
    await _say(hass, agent_id, "now make it dimmer", first.conversation_id)
    light = hass.states.get("light.kitchen_light")
    assert light is not None
    assert light.state == "on"
    assert light.attributes["brightness"] is not None
    assert light.attributes["brightness"] < 255
    assert _others_off(hass)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("   ", "didn't catch anything"), ("turn on the light " * 60, "too long")],
)
async def test_empty_or_endless_utterance_gets_a_short_answer(
    hass: HomeAssistant, llm_url: str, text: str, reason: str
) -> None:
    agent_id = await _agent(hass, llm_url, instant=True)
    result = await _say(hass, agent_id, text)
    # A failed turn is an error, so pipelines and automations can tell it from an answer.
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert result.response.error_code is intent.IntentResponseErrorCode.UNKNOWN
    assert _speech(result).startswith("I couldn't do that:")
    assert reason in _speech(result)
    light = hass.states.get("light.kitchen_light")
    assert light is not None
    assert light.state == "off"

"""Earlier turns reach the model in a window that keeps them as they were from turn to turn.

The model server reuses what it evaluated for the previous request up to the first
token that differs; a window sliding by one turn would change the earliest turn every
time and make it evaluate the whole history again.
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent

from custom_components.hybrid_voice.const import (
    CONF_INSTANT,
    CONF_MODEL,
    DOMAIN,
    MAX_HISTORY_TURNS,
)

from .conftest import async_add_agent, async_setup_home
from .web_servers import reply_delta, scripted_model

pytestmark = pytest.mark.usefixtures("socket_enabled")

TURNS = 9


def _earlier_turns(body: dict[str, Any], prefix: int) -> list[dict[str, Any]]:
    """The messages between the fixed prompt and the current request."""
    messages: list[dict[str, Any]] = body["messages"]
    return messages[prefix:-1]


async def test_the_window_moves_in_steps_and_keeps_earlier_turns_unchanged(
    hass: HomeAssistant,
) -> None:
    assert MAX_HISTORY_TURNS == 4  # the expected windows below are written for it
    await async_setup_home(hass)
    async with scripted_model([reply_delta('{"answer":"I like that one."}')]) as (url, bodies):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False, CONF_MODEL: "scripted"})
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        conversation_id = None
        for number in range(TURNS):
            result = await conversation.async_converse(
                hass,
                f"What do you think of song number {number}?",
                conversation_id,
                Context(),
                language="en",
                agent_id=agent_id,
            )
            assert result.response.speech["plain"]["speech"] == "I like that one."
            conversation_id = result.conversation_id
    assert len(bodies) == TURNS
    prefix = len(bodies[0]["messages"]) - 1  # the first request has no earlier turns
    earlier = [_earlier_turns(body, prefix) for body in bodies]
    shown = [[m["content"] for m in turns if m["role"] == "user"] for turns in earlier]
    # Up to four earlier turns; past that the oldest two go at once, then two more.
    assert [len(turns) for turns in shown] == [0, 1, 2, 3, 4, 3, 4, 3, 4]
    assert shown[8] == [f"Request: What do you think of song number {n}?" for n in (4, 5, 6, 7)]
    kept = [
        number
        for number in range(1, TURNS)
        if earlier[number][: len(earlier[number - 1])] == earlier[number - 1]
    ]
    assert kept == [1, 2, 3, 4, 6, 8]  # every turn but the two where the window moved


async def test_a_request_that_names_its_device_goes_without_earlier_turns(
    hass: HomeAssistant,
) -> None:
    await async_setup_home(hass)
    replies = [
        reply_delta('{"answer":"I like that one."}'),
        reply_delta('["turn_on Kitchen Light"]'),
        reply_delta('["turn_off Kitchen Light"]'),
    ]
    spoken = [
        "What do you think of that song?",
        "Please switch on the kitchen light",
        "Now switch it off",
    ]
    async with scripted_model(replies) as (url, bodies):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False, CONF_MODEL: "scripted"})
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        conversation_id = None
        for text in spoken:
            result = await conversation.async_converse(
                hass, text, conversation_id, Context(), language="en", agent_id=agent_id
            )
            conversation_id = result.conversation_id
            assert result.response.response_type != intent.IntentResponseType.ERROR
    assert hass.states.is_state("light.kitchen_light", "off")
    prefix = len(bodies[0]["messages"]) - 1
    earlier = [[m["content"] for m in _earlier_turns(body, prefix)] for body in bodies]
    assert earlier[1] == []  # names the kitchen light: nothing earlier is needed
    # "it" stands for what an earlier turn was about: the model sees those turns.
    assert earlier[2] == [
        "Request: What do you think of that song?",
        '{"answer":"I like that one."}',
        "Request: Please switch on the kitchen light",
        '["turn_on Kitchen Light"]',
    ]

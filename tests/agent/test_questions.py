"""A question about the home never changes it, whatever the model writes."""

from __future__ import annotations

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent

from custom_components.hybrid_voice.const import CONF_INSTANT, CONF_MODEL, DOMAIN

from .conftest import async_add_agent, async_setup_home
from .requests import english
from .web_servers import reply_delta, scripted_model

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.mark.parametrize(
    ("utterance", "question"),
    [
        ("what's on my shopping list?", True),
        ("Is the garage door open", True),
        ("how warm is it in the bedroom", True),
        ("can you turn on the kitchen light?", False),
        ("turn on the kitchen light", False),
        ("whatever, turn it off", False),
        ("", False),
    ],
)
def test_questions_are_told_from_commands(utterance: str, question: bool) -> None:
    assert english(utterance).question is question


async def test_a_model_that_acts_on_a_question_is_refused(hass: HomeAssistant) -> None:
    await async_setup_home(hass)
    acting = reply_delta('["turn_on Kitchen Light"]')
    async with scripted_model([acting]) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False, CONF_MODEL: "scripted"})
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        result = await conversation.async_converse(
            hass, "is the kitchen light on?", None, Context(), language="en", agent_id=agent_id
        )
    # The grammar only allows an answer; a model that ignores it changes nothing.
    schema = requests[0]["response_format"]["json_schema"]["schema"]
    assert schema["required"] == ["answer"]
    assert "Kitchen Light" in requests[0]["messages"][-1]["content"]  # its state is shown
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert result.response.speech["plain"]["speech"].startswith("I couldn't do that:")
    light = hass.states.get("light.kitchen_light")
    assert light is not None
    assert light.state == "off"

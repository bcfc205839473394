"""Requests as real homes make them, through the agent in a virtual home.

Floors, the satellite's room, a phrase for one device that fits several (asked, never
guessed), honest answers; the rules behind these turns are in test_real_home_rules.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component

from bench.assist_dataset import load_home
from bench.virtual_home import VirtualHome, async_build_home
from custom_components.hybrid_voice.const import CONF_INSTANT, DOMAIN
from tests.agent.conftest import async_add_agent
from tests.agent.web_servers import reply_delta, scripted_model

FIXTURES = """
floors: [{name: Ground Floor, id: ground, aliases: [downstairs]}, {name: Upstairs, id: up}]
areas:
  - {name: Kitchen, id: kitchen, floor: ground}
  - {name: Hall, id: hall, floor: ground}
  - {name: Bedroom, id: bedroom, floor: up}
  - {name: Office, id: office, floor: up}
devices: [{name: Kitchen Satellite, id: kitchen-satellite, area: kitchen}]
entities:
  - {name: Kitchen Light, id: light.kitchen_light, area: kitchen, state: "off"}
  - {name: Hall Light, id: light.hall_light, area: hall, state: "off"}
  - {name: Bedroom Light, id: light.bedroom_light, area: bedroom, state: "on"}
  - {name: Office Lamp, id: light.office_lamp, area: office, state: "on"}
  - {name: Front Door, id: lock.front_door, area: hall, state: unlocked}
  - {name: Back Door, id: lock.back_door, area: kitchen, state: unlocked}
"""


async def _home(hass: HomeAssistant, tmp_path: Path, fixtures: str = FIXTURES) -> VirtualHome:
    """Home Assistant with the home of `fixtures` built in it."""
    (tmp_path / "_fixtures.yaml").write_text(fixtures)
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    return await async_build_home(hass, load_home(tmp_path))


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


def _offered(request: dict[str, Any]) -> str:
    """The reply schema the model was given, as text (the devices it may act on)."""
    return json.dumps(request["response_format"]["json_schema"]["schema"])


async def _say(
    hass: HomeAssistant, agent_id: str, text: str, conversation_id: str | None = None, **kw: Any
) -> conversation.ConversationResult:
    return await conversation.async_converse(
        hass, text, conversation_id, Context(), language="en", agent_id=agent_id, **kw
    )


@pytest.mark.usefixtures("socket_enabled")
async def test_an_ambiguous_lock_command_asks_and_the_reply_completes_it(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    await _home(hass, tmp_path)
    async with scripted_model([reply_delta('["lock Front Door"]')]) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False})
        agent_id = _agent(hass, entry)
        asked = await _say(hass, agent_id, "lock the door")
        speech = asked.response.speech["plain"]["speech"]
        assert speech == "Which one do you mean: Back Door or Front Door?"
        assert asked.continue_conversation
        assert requests == []  # asked without the model, acting on nothing
        assert (_state(hass, "lock.front_door"), _state(hass, "lock.back_door")) == (
            "unlocked",
            "unlocked",
        )
        done = await _say(hass, agent_id, "the front one", asked.conversation_id)
        assert "Back Door" not in _offered(requests[-1])  # the reply chose the front one
        assert "lock Front Door" in _offered(requests[-1])
        # The completed request stands alone: the question is not sent again.
        last = requests[-1]["messages"][-1]["content"]
        assert last.endswith("Request: lock the door: Front Door")
        assert not any("Which one" in str(m["content"]) for m in requests[-1]["messages"])
    assert not done.continue_conversation
    assert (_state(hass, "lock.front_door"), _state(hass, "lock.back_door")) == (
        "locked",
        "unlocked",
    )


@pytest.mark.usefixtures("socket_enabled")
async def test_a_satellite_in_the_kitchen_turns_on_the_kitchen_light(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    home = await _home(hass, tmp_path)
    async with scripted_model([reply_delta('["turn_on Kitchen Light"]')]) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False})
        satellite = home.device_ids["kitchen-satellite"]
        await _say(hass, _agent(hass, entry), "turn on the light", device_id=satellite)
    offered = _offered(requests[0])
    assert "Kitchen Light" in offered
    assert not {"Hall Light", "Bedroom Light", "Office Lamp"} & set(re.findall(r"\w+ \w+", offered))
    assert _state(hass, "light.kitchen_light") == "on"


@pytest.mark.usefixtures("socket_enabled")
async def test_a_floor_command_offers_the_lights_of_that_floor(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    await _home(hass, tmp_path)
    reply = reply_delta('["turn_off Bedroom Light","turn_off Office Lamp"]')
    async with scripted_model([reply]) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False})
        await _say(hass, _agent(hass, entry), "turn off the upstairs lights")
    offered = _offered(requests[0])
    assert "Current states on Upstairs:" in requests[0]["messages"][-1]["content"]
    assert "Bedroom Light" in offered
    assert "Office Lamp" in offered
    assert "Kitchen Light" not in offered
    assert "Hall Light" not in offered
    assert (_state(hass, "light.bedroom_light"), _state(hass, "light.office_lamp")) == (
        "off",
        "off",
    )


@pytest.mark.usefixtures("socket_enabled")
async def test_a_false_already_claim_is_never_said(hass: HomeAssistant, tmp_path: Path) -> None:
    await _home(hass, tmp_path)
    replies: list[Any] = [
        reply_delta('{"answer":"The front door is already locked."}'),
        reply_delta('["lock Front Door"]'),
    ]
    async with scripted_model(replies) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False})
        result = await _say(hass, _agent(hass, entry), "lock the front door")
    speech = result.response.speech["plain"]["speech"]
    assert "already" not in speech
    assert "Front Door is unlocked, not locked" in requests[1]["messages"][-1]["content"]
    assert _state(hass, "lock.front_door") == "locked"


@pytest.mark.usefixtures("socket_enabled")
async def test_a_question_answered_against_the_states_gets_the_states(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    await _home(hass, tmp_path)
    replies = [reply_delta('{"answer":"Yes, the front door is locked."}')]
    async with scripted_model(replies) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False})
        result = await _say(hass, _agent(hass, entry), "is the front door locked?")
    assert result.response.speech["plain"]["speech"] == "Front Door is unlocked."
    assert len(requests) == 1  # no second round: the states answer it


def _agent(hass: HomeAssistant, entry: Any) -> str:
    agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
    assert agent_id is not None
    return agent_id


GARAGES = """
areas: [{name: Barn, id: barn}, {name: Workshop, id: workshop}]
entities:
  - {name: Barn Door, id: cover.barn_door, area: barn, state: closed,
     attributes: {device_class: cover.CoverDeviceClass.GARAGE}}
  - {name: Workshop Door, id: cover.workshop_door, area: workshop, state: closed,
     attributes: {device_class: cover.CoverDeviceClass.GARAGE}}
"""


@pytest.mark.usefixtures("socket_enabled")
async def test_home_assistants_matcher_never_opens_every_garage_door_for_one(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    await _home(hass, tmp_path, GARAGES)
    await conversation.async_prepare_agent(hass, conversation.HOME_ASSISTANT_AGENT, "en")
    async with scripted_model([reply_delta('["open Barn Door"]')]) as (url, requests):
        agent_id = _agent(hass, await async_add_agent(hass, url))
        asked = await _say(hass, agent_id, "open the garage door")
        assert asked.response.speech["plain"]["speech"] == (
            "Which one do you mean: Barn Door or Workshop Door?"
        )
        assert asked.continue_conversation
        assert requests == []
        assert (_state(hass, "cover.barn_door"), _state(hass, "cover.workshop_door")) == (
            "closed",
            "closed",
        )
        chose = await _say(hass, agent_id, "the barn one", asked.conversation_id)
        assert "Barn Door" in chose.response.speech["plain"]["speech"]
        assert "Workshop Door" not in _offered(requests[-1])
        assert _state(hass, "cover.barn_door") == "open"
        assert _state(hass, "cover.workshop_door") == "closed"
    assert len(requests) == 1


ROBOT = """
entities:
  - {name: Robo, id: vacuum.robo, state: docked}
"""


@pytest.mark.usefixtures("socket_enabled")
async def test_stop_the_vacuum_never_starts_it(hass: HomeAssistant, tmp_path: Path) -> None:
    await _home(hass, tmp_path, ROBOT)
    async with scripted_model([reply_delta('["start Robo"]')]) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False})
        result = await _say(hass, _agent(hass, entry), "stop the vacuum")
    speech = result.response.speech["plain"]["speech"]
    assert _state(hass, "vacuum.robo") == "docked"
    assert len(requests) == 2  # the opposite plan went back to the model once
    assert "Robo cannot do what was asked" in requests[1]["messages"][-1]["content"]
    assert "Started" not in speech
    assert "Hass" not in speech


@pytest.mark.usefixtures("socket_enabled")
async def test_a_refusal_for_the_devices_state_is_said_without_a_second_round(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    # Home Assistant 2025.4 sets the volume only of a playing speaker.
    speaker = (
        "  - {name: Den Speaker, id: media_player.den_speaker, area: office, state: paused,"
        " attributes: {volume_level: 0.4}}\n"
    )
    await _home(hass, tmp_path, FIXTURES + speaker)
    plan = '["set_volume Den Speaker 20"]'
    async with scripted_model([reply_delta(plan), reply_delta(plan)]) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False})
        result = await _say(hass, _agent(hass, entry), "set the den speaker volume to 20%")
    speech = result.response.speech["plain"]["speech"]
    assert speech == "I couldn't do that: that device is not in a state where it can do that."
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert len(requests) == 1
    state = hass.states.get("media_player.den_speaker")
    assert state is not None
    assert state.attributes["volume_level"] == 0.4

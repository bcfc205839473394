"""Requests as real homes make them.

Floors, the satellite's room, a phrase for one device that fits several (asked, never
guessed), sensors in words, honest answers.
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
from homeassistant.setup import async_setup_component

from bench.assist_dataset import load_home
from bench.virtual_home import VirtualHome, async_build_home
from custom_components.hybrid_voice.const import CONF_INSTANT, DOMAIN
from custom_components.hybrid_voice.engine.claims import false_claim, opposite_action, said_words
from custom_components.hybrid_voice.engine.home_model import EntityInfo
from custom_components.hybrid_voice.engine.places import (
    choice_question,
    choices_asked,
    completed_request,
    narrow,
)
from tests.agent.conftest import async_add_agent
from tests.agent.web_servers import reply_delta, scripted_model

HOME = [
    EntityInfo("light.kitchen", "Kitchen Light", "light", "Kitchen", floor="Ground Floor"),
    EntityInfo("light.hall", "Hall Light", "light", "Hall", floor="Ground Floor"),
    EntityInfo("light.bedroom", "Bedroom Light", "light", "Bedroom", floor="Upstairs"),
    EntityInfo("light.office", "Office Lamp", "light", "Office", floor="Upstairs"),
    EntityInfo("fan.bedroom", "Bedroom Fan", "fan", "Bedroom", floor="Upstairs"),
    EntityInfo("lock.front", "Front Door", "lock", "Hall", floor="Ground Floor"),
    EntityInfo("lock.back", "Back Door", "lock", "Kitchen", floor="Ground Floor"),
    EntityInfo("media_player.kitchen", "Kitchen Speaker", "media_player", "Kitchen"),
    EntityInfo("media_player.bedroom", "Bedroom Speaker", "media_player", "Bedroom"),
]
FLOORS = {"Ground Floor": ("downstairs",), "Upstairs": ("first floor",)}
ALL = frozenset(entity.entity_id for entity in HOME)


def test_a_floor_by_name_or_alias_means_its_devices_of_the_kind_said() -> None:
    upstairs = narrow(HOME, ALL, frozenset(), "turn off the upstairs lights", FLOORS, None, False)
    assert upstairs.allowed == {"light.bedroom", "light.office"}
    assert upstairs.by_place
    downstairs = narrow(HOME, ALL, frozenset(), "lights off downstairs", FLOORS, None, False)
    assert downstairs.allowed == {"light.kitchen", "light.hall"}
    fans = narrow(HOME, ALL, frozenset(), "fans off on the first floor", FLOORS, None, False)
    assert fans.allowed == {"fan.bedroom"}


def test_the_speakers_room_decides_when_the_request_names_no_place() -> None:
    players = frozenset({"media_player.kitchen", "media_player.bedroom"})
    here = narrow(HOME, players, frozenset(), "set the volume to 20%", FLOORS, "Bedroom", False)
    assert here.allowed == {"media_player.bedroom"}
    assert here.ask == ()
    nowhere = narrow(HOME, players, frozenset(), "set the volume to 20%", FLOORS, None, False)
    assert nowhere.ask == ("Bedroom Speaker", "Kitchen Speaker")
    assert nowhere.allowed == frozenset()


def test_one_door_of_two_is_asked_about_and_all_means_all() -> None:
    locks = frozenset({"lock.front", "lock.back"})
    asked = narrow(HOME, locks, frozenset(), "lock the door", FLOORS, None, False)
    assert asked.ask == ("Back Door", "Front Door")
    for text in ("lock all the doors", "lock both doors", "lock the doors"):
        assert narrow(HOME, locks, frozenset(), text, FLOORS, None, False).allowed == locks
    named = narrow(
        HOME, locks, frozenset({"lock.front"}), "lock the front door", FLOORS, None, False
    )
    assert named.ask == ()


def test_a_pronoun_means_the_device_the_last_turn_was_about() -> None:
    lights = frozenset({"light.kitchen", "light.hall", "light.bedroom", "light.office"})
    last = frozenset({"light.kitchen"})
    dimmer = narrow(HOME, lights, frozenset(), "now make it dimmer", FLOORS, None, False, last)
    assert dimmer.allowed == last
    assert dimmer.ask == ()
    # Without a word that points back, the earlier turn does not decide.
    plain = narrow(HOME, lights, frozenset(), "dim the light", FLOORS, None, False, last)
    assert plain.ask == ("Bedroom Light", "Hall Light", "Kitchen Light", "Office Lamp")


def test_the_reply_to_the_question_completes_the_request() -> None:
    question = choice_question(["Back Door", "Front Door"])
    assert question == "Which one do you mean: Back Door or Front Door?"
    choices = choices_asked(question)
    assert choices == ["Back Door", "Front Door"]
    assert completed_request("lock the door", "the front one", choices) == (
        "lock the door: Front Door"
    )
    assert completed_request("lock the door", "both", choices) == (
        "lock the door: Back Door and Front Door"
    )
    assert completed_request("lock the door", "never mind", choices) is None
    assert choices_asked("The front door is locked.") is None


def test_an_already_claim_is_checked_against_the_state_shown() -> None:
    front = EntityInfo("lock.front", "Front Door", "lock", "Hall", state="unlocked")
    vacuum = EntityInfo("vacuum.robo", "Robo", "vacuum", "Hall", state="docked")
    assert false_claim("The front door is already locked.", [front]) == (
        "Front Door is unlocked, not locked"
    )
    assert false_claim("Robo is already running.", [front, vacuum]) == (
        "Robo is docked, not running"
    )
    assert false_claim("The front door is already unlocked.", [front]) is None
    assert false_claim("Locked the front door.", [front]) is None


# A home as real ones are: two door locks, lights on two floors, a kitchen satellite.
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


async def _home(hass: HomeAssistant, tmp_path: Path) -> VirtualHome:
    (tmp_path / "_fixtures.yaml").write_text(FIXTURES)
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
    (tmp_path / "_fixtures.yaml").write_text(GARAGES)
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    await async_build_home(hass, load_home(tmp_path))
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


def test_a_list_not_named_is_the_shopping_list_else_asked() -> None:
    lists = [
        EntityInfo("todo.chores", "Weekend Chores", "todo", aliases=("chore list",)),
        EntityInfo("todo.shop", "Groceries", "todo", aliases=("shopping list",)),
        EntityInfo("todo.family", "Family To-do", "todo"),
    ]
    ids = frozenset(entity.entity_id for entity in lists)
    added = narrow(lists, ids, frozenset(), "add bread to my list", {}, None, False)
    assert added.allowed == {"todo.shop"}
    no_shop = frozenset({"todo.chores", "todo.family"})
    todo = narrow(lists, no_shop, frozenset(), "add bread to my list", {}, None, False)
    assert todo.allowed == {"todo.family"}
    neither = [lists[0], EntityInfo("todo.feed", "Feed Store", "todo", aliases=("feed list",))]
    both = frozenset({"todo.chores", "todo.feed"})
    asked = narrow(neither, both, frozenset(), "add hay to the list", {}, None, False)
    assert asked.ask == ("Feed Store", "Weekend Chores")


def test_a_word_only_one_name_has_decides_and_an_unknown_item_still_finds_the_list() -> None:
    valves = [
        EntityInfo("valve.sprinkler", "Garden Sprinkler", "valve", "Garden"),
        EntityInfo("valve.main", "Main Water Valve", "valve", "Garage"),
    ]
    ids = frozenset(entity.entity_id for entity in valves)
    assert narrow(valves, ids, frozenset(), "shut off the main water", {}, None, False).ask == ()
    assert narrow(valves, ids, frozenset(), "shut off the water", {}, None, False).ask == (
        "Garden Sprinkler",
        "Main Water Valve",
    )
    lists = [
        EntityInfo("todo.shop", "Shopping List", "todo"),
        EntityInfo("todo.diy", "DIY", "todo", aliases=("hardware list",)),
    ]
    # Targets found nothing ("yoghurt" names nothing in the home); the list is still meant.
    found = narrow(lists, frozenset(), frozenset(), "add yoghurt to the list", {}, None, False)
    assert found.allowed == {"todo.shop"}


def test_an_action_opposite_to_the_request_is_recognised() -> None:
    said = said_words("stop the vacuum")
    assert opposite_action(said, "HassVacuumStart", "vacuum")
    assert not opposite_action(said_words("start the vacuum"), "HassVacuumStart", "vacuum")
    assert opposite_action(said_words("turn off the hall light"), "HassTurnOn", "light")
    assert not opposite_action(said_words("turn on the light off the hall"), "HassTurnOn", "light")
    assert opposite_action(said_words("close the blinds"), "HassTurnOn", "cover")
    assert opposite_action(said_words("unlock the front door"), "HassTurnOn", "lock")
    assert not opposite_action(said_words("lock the front door"), "HassTurnOn", "lock")


ROBOT = """
entities:
  - {name: Robo, id: vacuum.robo, state: docked}
"""


@pytest.mark.usefixtures("socket_enabled")
async def test_stop_the_vacuum_never_starts_it(hass: HomeAssistant, tmp_path: Path) -> None:
    (tmp_path / "_fixtures.yaml").write_text(ROBOT)
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    await async_build_home(hass, load_home(tmp_path))
    async with scripted_model([reply_delta('["start Robo"]')]) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False})
        result = await _say(hass, _agent(hass, entry), "stop the vacuum")
    speech = result.response.speech["plain"]["speech"]
    assert _state(hass, "vacuum.robo") == "docked"
    assert len(requests) == 2  # the opposite plan went back to the model once
    assert "Robo cannot do what was asked" in requests[1]["messages"][-1]["content"]
    assert "Started" not in speech
    assert "Hass" not in speech

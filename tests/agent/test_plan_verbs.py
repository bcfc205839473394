"""Verbs beyond a device's own.

Verbs beyond a device's own: changes without an amount ("brighter"), verbs of other
kinds of device that mean the same ("start" a fan), and to-do items, in the reply
schema and in the plan reader. Plain Python, no Home Assistant.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from custom_components.hybrid_voice.engine.actions import verb_for
from custom_components.hybrid_voice.engine.home_model import EntityInfo
from custom_components.hybrid_voice.engine.plan import PlanError, plan_schema
from custom_components.hybrid_voice.engine.plan_reader import PlanReader
from custom_components.hybrid_voice.engine.prompt import state_line

from .requests import english
from .sample_home import tool_table

LAMP = EntityInfo("light.lamp", "Lamp", "light", state="on", attributes=(("brightness_pct", "40"),))
BARE_LAMP = EntityInfo("light.bare", "Bare Lamp", "light", state="on")
FAN = EntityInfo("fan.extractor", "Extractor Fan", "fan", "Workshop", state="off")
VALVE = EntityInfo("valve.main_water", "Main Water", "valve", state="open")
DOOR = EntityInfo("lock.front_door", "Front Door", "lock", state="unlocked")
SPEAKER = EntityInfo(
    "media_player.den", "Den Speaker", "media_player", state="playing",
    attributes=(("volume_pct", "30"),),
)  # fmt: skip
HEATER = EntityInfo(
    "climate.heater", "Heater", "climate", state="heat", attributes=(("temperature", "20"),)
)
CHORES = EntityInfo(
    "todo.chores", "Chores", "todo", state="2", items=("feed the cat", "water the plants")
)
EMPTY_LIST = EntityInfo("todo.shopping", "Shopping List", "todo", state="0")
HOME = [LAMP, BARE_LAMP, FAN, VALVE, DOOR, SPEAKER, HEATER, CHORES, EMPTY_LIST]
TOOLS = tool_table("string")


def _calls(reply: str) -> list[tuple[str, dict[str, Any]]]:
    reader = PlanReader(HOME, TOOLS, {entity.entity_id for entity in HOME})
    return [(call.tool, call.args) for call in reader.read(reply).calls]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('["brighter Lamp"]', ("HassLightSet", {"name": "Lamp", "brightness": 60})),
        ('["dimmer Bare Lamp"]', ("HassLightSet", {"name": "Bare Lamp", "brightness": 80})),
        ('["quieter Den Speaker"]', ("HassSetVolume", {"name": "Den Speaker", "volume_level": 20})),
        ('["cooler Heater"]', ("HassClimateSetTemperature", {"name": "Heater", "temperature": 19})),
        # A step verb of another kind of device: "warmer" on a speaker means "louder".
        ('["warmer Den Speaker"]', ("HassSetVolume", {"name": "Den Speaker", "volume_level": 40})),
    ],
)
def test_a_change_without_an_amount_moves_by_a_step(
    reply: str, expected: tuple[str, dict[str, Any]]
) -> None:
    assert _calls(reply) == [expected]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('["start Extractor Fan"]', ("HassTurnOn", {"name": "Extractor Fan", "domain": "fan"})),
        ('["turn_off Main Water"]', ("HassTurnOff", {"name": "Main Water", "domain": "valve"})),
        ('["stop Extractor Fan"]', ("HassTurnOff", {"name": "Extractor Fan", "domain": "fan"})),
    ],
)
def test_a_verb_of_another_kind_of_device_that_means_the_same_is_swapped(
    reply: str, expected: tuple[str, dict[str, Any]]
) -> None:
    assert _calls(reply) == [expected]


def test_to_do_items_are_the_lists_own() -> None:
    assert _calls('["complete_item Chores feed cat"]') == [
        ("HassListCompleteItem", {"name": "Chores", "item": "feed the cat"})
    ]
    with pytest.raises(PlanError, match="no item '2'; it has: feed the cat; water the plants"):
        _calls('["complete_item Chores 2"]')
    with pytest.raises(PlanError, match="Shopping List has no open items"):
        _calls('["complete_item Shopping List eggs"]')
    assert state_line(CHORES) == "- Chores: to do: feed the cat; water the plants"
    assert state_line(EMPTY_LIST) == "- Shopping List: 0"


def test_a_state_line_leaves_out_values_its_state_already_says() -> None:
    fan = EntityInfo("fan.x", "Fan", "fan", state="off", attributes=(("percentage", "0"),))
    blind = EntityInfo(
        "cover.x", "Blind", "cover", state="closed", attributes=(("current_position", "0"),)
    )
    ajar = EntityInfo(
        "cover.y", "Vent", "cover", state="closed", attributes=(("current_position", "5"),)
    )
    assert state_line(fan) == "- Fan: off"
    assert state_line(blind) == "- Blind: closed"
    assert state_line(ajar) == "- Vent: closed, position 5%"
    assert state_line(LAMP) == "- Lamp: on, brightness 40%"


def test_schema_offers_step_verbs_synonyms_and_list_items() -> None:
    plain, numbers, _texts = plan_schema(HOME, list(TOOLS))["anyOf"][0]["items"]["anyOf"]
    offered = set(plain["enum"])
    assert {"brighter Lamp", "louder Den Speaker", "warmer Heater"} <= offered
    assert {"start Extractor Fan", "turn_off Main Water", "close Main Water"} <= offered
    assert {"complete_item Chores feed the cat", "complete_item Chores water the plants"} <= offered
    assert not any(action.startswith("complete_item Shopping List") for action in offered)
    # Locks keep their own verbs: nothing that opens or turns on a door.
    assert not offered & {"open Front Door", "turn_on Front Door", "brighter Front Door"}
    pattern = re.compile(numbers["pattern"])
    assert pattern.match("set_volume Den Speaker 40")
    assert not pattern.match("brighter Lamp 10")  # a step verb takes no value


def test_earlier_turns_show_the_verb_with_the_value_that_ran() -> None:
    assert verb_for("light", "HassLightSet", ["brightness"]) == "set_brightness"
    assert verb_for("media_player", "HassSetVolume", ["volume_level"]) == "set_volume"


@pytest.mark.parametrize(
    ("utterance", "direction"),
    [
        ("the ceiling light is too dim", 1),
        ("it's too dark in here", 1),
        ("dim the lamp a little", -1),
        ("turn the radio down", -1),
        ("the tv is too quiet", 1),
        ("make it a bit warmer", 1),
        ("it is too warm in the bedroom", -1),
        ("dim the lamp to 30 percent", 0),  # an amount: the model's value stands
        ("make it two degrees cooler", 0),
        ("turn the music up and dim the lights", 0),  # both ways
        ("turn on the kitchen light", 0),
    ],
)
def test_the_words_say_which_way_a_vague_change_goes(utterance: str, direction: int) -> None:
    assert english(utterance).direction == direction


def test_a_vague_change_moves_one_step_the_way_the_words_say() -> None:
    everything = {entity.entity_id for entity in HOME}
    brighter = PlanReader(HOME, TOOLS, everything, direction=1)
    for reply in ('["dimmer Lamp"]', '["set_brightness Lamp 41"]', '["set_brightness Lamp -5"]'):
        assert [call.args for call in brighter.read(reply).calls] == [
            {"name": "Lamp", "brightness": 60}
        ]
    quieter = PlanReader(HOME, TOOLS, everything, direction=-1)
    plan = quieter.read('["set_volume Den Speaker -50", "turn_on Extractor Fan"]')
    assert [call.args for call in plan.calls] == [
        {"name": "Den Speaker", "volume_level": 20},
        {"name": "Extractor Fan", "domain": "fan"},
    ]


def test_a_heater_that_is_off_is_turned_on_before_its_temperature_is_set() -> None:
    off = EntityInfo("climate.bedroom", "Bedroom Heater", "climate", state="off")
    reader = PlanReader([off, HEATER], TOOLS, {off.entity_id, HEATER.entity_id})
    plan = reader.read('["warmer Bedroom Heater", "set_temperature Heater 22"]')
    assert [(call.tool, call.entity.name) for call in plan.calls] == [
        ("HassTurnOn", "Bedroom Heater"),
        ("HassClimateSetTemperature", "Bedroom Heater"),
        ("HassClimateSetTemperature", "Heater"),
    ]

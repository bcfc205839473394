"""Reading the model's plan.

Reading the model's plan: repairs, relative values, refusals, the schema, and the
answer streamed while it is written. Plain Python, no Home Assistant.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import pytest

from custom_components.hybrid_voice.engine.home_model import EntityInfo
from custom_components.hybrid_voice.engine.plan import (
    PlanError,
    answer_so_far,
    plan_schema,
    written_out,
)
from custom_components.hybrid_voice.engine.plan_reader import PlanReader

from .sample_home import GARAGE, KITCHEN, tool_table

FRONT = EntityInfo("lock.front_door", "Front Door", "lock", "Hallway", state="unlocked")
THERMOSTAT = EntityInfo(
    "climate.thermostat", "Thermostat", "climate", attributes=(("temperature", "20.5"),)
)
SENSOR = EntityInfo("sensor.outside", "Outside Temperature", "sensor", state="7")
HOME = [KITCHEN, GARAGE, FRONT, THERMOSTAT, SENSOR]
TOOLS = tool_table("array")
EVERYTHING = {entity.entity_id for entity in HOME}


def _reply(*actions: dict[str, Any]) -> str:
    return json.dumps({"actions": list(actions)})


def _read(text: str, allowed: set[str] = EVERYTHING) -> list[tuple[str, dict[str, Any]]]:
    plan = PlanReader(HOME, TOOLS, allowed).read(text)
    return [(call.tool, call.args) for call in plan.calls]


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (
            {"name": "Kitchen Light", "action": "turn_on"},
            ("HassTurnOn", {"name": "Kitchen Light", "domain": ["light"]}),
        ),
        (
            {"name": "kitchen lights", "action": "set_brightness", "value": "150%"},
            ("HassLightSet", {"name": "Kitchen Light", "brightness": 100}),
        ),
        (
            {"name": "Kitchen Light", "action": "set_brightness", "value": "+20"},
            ("HassLightSet", {"name": "Kitchen Light", "brightness": 60}),
        ),
        (
            {"name": "light.kitchen_light", "action": "set_brightness", "value": "-60"},
            ("HassLightSet", {"name": "Kitchen Light", "brightness": 0}),
        ),
        (
            {"name": "the big door", "action": "turn_on"},
            ("HassTurnOn", {"name": "Garage Door", "domain": ["cover"]}),
        ),
        (
            {"name": "Garage Door", "action": "set_brightness", "value": 30},
            ("HassSetPosition", {"name": "Garage Door", "domain": ["cover"], "position": 30}),
        ),
        (
            {"name": "Thermostat", "action": "set_temperature", "value": "-2"},
            ("HassClimateSetTemperature", {"name": "Thermostat", "temperature": 18.5}),
        ),
        (
            {"name": "Front Door", "action": "lock"},
            ("HassTurnOn", {"name": "Front Door", "domain": ["lock"]}),
        ),
    ],
)
def test_plans_become_checked_tool_calls(
    action: dict[str, Any], expected: tuple[str, dict[str, Any]]
) -> None:
    assert _read(_reply(action)) == [expected]


def test_two_devices_in_one_plan_become_two_calls() -> None:
    reply = _reply(
        {"name": "Kitchen Light", "action": "turn_off"}, {"name": "Garage Door", "action": "close"}
    )
    assert [tool for tool, _args in _read(reply)] == ["HassTurnOff", "HassTurnOff"]


@pytest.mark.parametrize(
    ("reply", "allowed", "message"),
    [
        ('{"actions": [{"name": "Kitchen Light"', EVERYTHING, "not valid JSON"),
        ("[1, 2]", EVERYTHING, "must be"),
        ('{"answer": ""}', EVERYTHING, "neither actions nor an answer"),
        (_reply({"name": "Attic Fan", "action": "turn_on"}), EVERYTHING, "no device called"),
        (_reply({"name": "Outside Temperature", "action": "turn_on"}), EVERYTHING, "no device"),
        (
            _reply({"name": "Kitchen Light", "action": "turn_on"}),
            {"cover.garage_door"},
            "does not mention Kitchen Light",
        ),
        # "open" must never lock or unlock a door, even though both run HassTurnOn.
        (_reply({"name": "Front Door", "action": "open"}), EVERYTHING, "it can: lock, unlock"),
        (
            _reply({"name": "Kitchen Light", "action": "set_brightness", "value": "bright"}),
            EVERYTHING,
            "needs a number",
        ),
        (
            _reply({"name": "Kitchen Light", "action": "set_brightness"}),
            EVERYTHING,
            "needs a number",
        ),
    ],
)
def test_impossible_plans_are_refused_with_a_reason(
    reply: str, allowed: set[str], message: str
) -> None:
    with pytest.raises(PlanError, match=message):
        _read(reply, allowed)


def test_an_impossible_extra_action_is_dropped_unless_its_device_was_named() -> None:
    reply = _reply(
        {"name": "Garage Door", "action": "open"},
        {"name": "Kitchen Light", "action": "lock"},
    )
    plan = PlanReader(HOME, TOOLS, EVERYTHING).read(reply)
    assert [(call.tool, call.entity.name) for call in plan.calls] == [("HassTurnOn", "Garage Door")]
    assert any("Kitchen Light" in note for note in plan.notes)
    with pytest.raises(PlanError, match="Kitchen Light cannot"):
        PlanReader(HOME, TOOLS, EVERYTHING, named={"light.kitchen_light"}).read(reply)
    with pytest.raises(PlanError, match="Kitchen Light cannot"):
        _read(_reply({"name": "Kitchen Light", "action": "lock"}))


def test_answers_are_spoken_and_json_never_is() -> None:
    reader = PlanReader(HOME, TOOLS, EVERYTHING)
    assert reader.read('{"answer": "Yes, it is open."}').answer == "Yes, it is open."
    # An endpoint that ignores the schema and answers in words is still understood.
    assert reader.read("The garage door is open.").answer == "The garage door is open."
    with pytest.raises(PlanError):
        reader.read('functions.HassTurnOn:\n{"name": "Kitchen Light"}')


def test_answer_streams_as_it_is_written() -> None:
    reply = '{"answer":"Yes, the \\"big\\" door\\u00e9 is open."}'
    seen = [answer_so_far(reply[:end]) for end in range(len(reply) + 1)]
    assert seen[5] is None  # not yet recognisably an answer
    decoded = [text for text in seen if text is not None]
    assert decoded[-1] == 'Yes, the "big" dooré is open.'
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(decoded))
    assert answer_so_far('{"actions":[') is None


@pytest.mark.parametrize(
    ("reply", "whole"),
    [
        ('["turn_on Kitchen Light"]', True),
        ('["turn_on Kitchen Light"] ', True),
        ('{"answer":"Yes, it is on."}', True),
        ('["turn_on Kitchen Light"', False),
        ('["turn_on Kitchen Light","close Garage Door"', False),
        ('{"answer":"The list says [eggs]', False),
        ('{"answer":"a } in words', False),
        ("", False),
    ],
)
def test_a_reply_is_whole_once_its_json_value_closes(reply: str, whole: bool) -> None:
    assert written_out(reply) is whole


def test_schema_offers_only_the_verbs_each_device_has() -> None:
    schema = plan_schema(HOME, list(TOOLS))
    plan, answer = schema["anyOf"]
    assert answer["properties"] == {"answer": {"type": "string"}}
    plain, numbers, texts = plan["items"]["anyOf"]
    # Devices with nothing to do (a sensor) are not offered; aliases are.
    assert "turn_on Kitchen Light" in plain["enum"]
    assert "open Big Door" in plain["enum"]
    assert "lock Front Door" in plain["enum"]
    assert "open Front Door" not in plain["enum"]  # "open" never locks or unlocks
    assert not any("Outside Temperature" in action for action in plain["enum"])
    pattern = re.compile(numbers["pattern"])
    assert pattern.match("set_brightness Kitchen Light 40")
    assert pattern.match("set_temperature Thermostat -1.5")
    assert pattern.match("set_brightness Garage Door 40")  # the same meaning: set_position
    assert not pattern.match("set_brightness Front Door 40")
    assert not pattern.match("set_brightness Kitchen Light")
    assert re.match(texts["pattern"], "set_color Kitchen Light warm white")
    assert plan_schema([SENSOR], list(TOOLS)) == answer


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            '["turn_on Kitchen Light"]',
            [("HassTurnOn", {"name": "Kitchen Light", "domain": ["light"]})],
        ),
        (
            '["set_brightness kitchen lights +20", "close Big Door"]',
            [
                ("HassLightSet", {"name": "Kitchen Light", "brightness": 60}),
                ("HassTurnOff", {"name": "Garage Door", "domain": ["cover"]}),
            ],
        ),
        (
            '["set_position Garage Door 30"]',
            [("HassSetPosition", {"name": "Garage Door", "domain": ["cover"], "position": 30})],
        ),
    ],
)
def test_action_strings_become_checked_tool_calls(
    reply: str, expected: list[tuple[str, dict[str, Any]]]
) -> None:
    assert _read(reply) == expected


def test_dimming_a_light_that_is_on_without_a_known_brightness_starts_at_full() -> None:
    lamp = EntityInfo("light.lamp", "Lamp", "light", state="on")
    reader = PlanReader([lamp], TOOLS, {"light.lamp"})
    calls = reader.read('["set_brightness Lamp -20"]').calls
    assert [call.args for call in calls] == [{"name": "Lamp", "brightness": 80}]


def test_action_strings_that_cannot_be_carried_out_say_why() -> None:
    with pytest.raises(PlanError, match="no device called 'Attic Fan'"):
        _read('["turn_on Attic Fan"]')
    with pytest.raises(PlanError, match="needs a number"):
        _read('["set_brightness Kitchen Light"]')

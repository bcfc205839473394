"""Prompt building, entity selection, tool-call repair and replies, without HA."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from custom_components.hybrid_voice import entity_selection, prompt, replies, tool_repair
from custom_components.hybrid_voice.entity_selection import EntityInfo, select_relevant
from custom_components.hybrid_voice.prompt import build_system_prompt, build_turn_message
from custom_components.hybrid_voice.tool_repair import ToolCallError, ToolCallRepairer

KITCHEN = EntityInfo(
    "light.kitchen_light",
    "Kitchen Light",
    "light",
    "Kitchen",
    state="on",
    attributes=(("brightness_pct", "40"),),
)
LAMP = EntityInfo("light.living_room_lamp", "Living Room Lamp", "light", "Living Room")
GARAGE = EntityInfo("cover.garage_door", "Garage Door", "cover", "Garage", ("Big Door",), "open")
HOME = [KITCHEN, LAMP, GARAGE]
AREAS = ["Kitchen", "Living Room", "Garage"]
TARGET = {
    "name": {"type": "string"},
    "area": {"type": "string"},
    "domain": {"type": "string", "enum": ["cover", "light"]},
}
TOOLS = {
    "HassTurnOn": {"type": "object", "properties": TARGET},
    "HassLightSet": {
        "type": "object",
        "properties": {**TARGET, "brightness": {"type": "integer", "minimum": 0, "maximum": 100}},
    },
}


def test_pure_modules_do_not_import_home_assistant() -> None:
    for module in (entity_selection, prompt, replies, tool_repair):
        tree = ast.parse(Path(str(module.__file__)).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [alias.name for alias in node.names]
                )
                assert not any(name.startswith("homeassistant") for name in names), module


def test_system_prompt_is_byte_stable_whatever_the_order_and_states() -> None:
    changed = [GARAGE, LAMP, EntityInfo(**{**KITCHEN.__dict__, "state": "off"})]
    first = build_system_prompt("Be kind.", "en", HOME, AREAS)
    assert first == build_system_prompt("Be kind.", "en", changed, list(reversed(AREAS)))
    assert "Kitchen Light (light, area Kitchen)" in first
    assert "also called Big Door" in first
    assert "Reply in English" in first
    assert "40" not in first  # states belong to the turn, not the prefix


def test_turn_message_carries_states_time_and_request_last() -> None:
    message = build_turn_message("dim it", [KITCHEN], "20:15", describe_devices=False)
    assert "- Kitchen Light: on, brightness 40%" in message
    assert message.endswith("Request: dim it")
    assert "Time: 20:15" in message


def test_large_home_gets_only_relevant_entities_within_budget() -> None:
    home = [
        EntityInfo(f"light.room_{n}", f"Room {n} Light", "light", f"Room {n}") for n in range(200)
    ]
    home.append(GARAGE)
    assert not entity_selection.fits_budget(home, 600)
    chosen = select_relevant(home, "is the garage door open?", 150)
    assert chosen[0] == GARAGE
    assert (
        sum(entity_selection.estimate_tokens(entity_selection.describe(e)) for e in chosen) <= 150
    )


def test_earlier_turns_keep_their_device_relevant() -> None:
    assert select_relevant(HOME, "now make it dimmer", 300, ["Kitchen Light"])[0] == KITCHEN


@pytest.fixture
def repairer() -> ToolCallRepairer:
    return ToolCallRepairer(TOOLS, HOME, AREAS)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("HassTurnOn", '{"name": "kitchen lights"}', {"name": "Kitchen Light"}),
        (
            "HassTurnOn",
            {"area": "living_room", "domain": "light"},
            {"area": "Living Room", "domain": "light"},
        ),
        ("HassTurnOn", {"name": "light.kitchen_light"}, {"name": "Kitchen Light"}),
        (
            "HassTurnOn",
            {"domain": "light.kitchen_light"},
            {"name": "Kitchen Light", "domain": "light"},
        ),
        (
            "HassTurnOn",
            {"name": "the big door", "domain": "light"},
            {"name": "Garage Door", "domain": "cover"},
        ),
        (
            "HassTurnOn",
            {"name": "Kitchen", "domain": "light"},
            {"area": "Kitchen", "domain": "light"},
        ),
        ("hass_turn_on", {"name": "Garage Door", "floor": ""}, {"name": "Garage Door"}),
        (
            "HassLightSet",
            {"name": "Kitchen Light", "brightness": "150%"},
            {"name": "Kitchen Light", "brightness": 100, "domain": "light"},
        ),
        (
            # HassLightSet only ever means lights, whatever the model put in `domain`.
            "HassLightSet",
            {"area": "Kitchen", "domain": "cover", "brightness": 50},
            {"area": "Kitchen", "domain": "light", "brightness": 50},
        ),
        (
            # The name finds the device; an area it is not in would make the call fail.
            "HassTurnOn",
            {"name": "Garage Door", "area": "Kitchen"},
            {"name": "Garage Door"},
        ),
    ],
)
def test_near_misses_are_repaired(
    repairer: ToolCallRepairer, name: str, args: object, expected: dict[str, object]
) -> None:
    call = repairer.repair(name, args)  # type: ignore[arg-type]
    assert call.args == expected
    assert call.name in TOOLS


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("HassTurnOn", '{"name": "Kitchen Light"', "not valid JSON"),
        ("HassTurnOn", "[1, 2]", "JSON object"),
        ("HassExplode", {"name": "Kitchen Light"}, "no tool called"),
        ("HassTurnOn", {"name": "Attic Fan"}, "no device called 'Attic Fan'"),
        ("HassTurnOn", {"area": "Basement"}, "no area called"),
        ("HassLightSet", {"name": "Kitchen Light", "brightness": "bright"}, "must be a number"),
        ("HassLightSet", {"name": "Garage Door", "brightness": 50}, "cannot control Garage Door"),
        # Without a name or an area it would set every light of the home.
        ("HassLightSet", {"brightness": 50}, "needs the name or the area"),
        (
            "HassTurnOn",
            {"area": "Garage", "domain": "light"},
            r"no light in Garage; there are: Garage Door \(cover\)",
        ),
    ],
)
def test_impossible_calls_are_refused_with_a_reason(
    repairer: ToolCallRepairer, name: str, args: object, message: str
) -> None:
    with pytest.raises(ToolCallError, match=message):
        repairer.repair(name, args)  # type: ignore[arg-type]


def test_calls_must_act_on_the_devices_the_user_named() -> None:
    named = entity_selection.named_in(HOME, "open the garage door")
    assert named == [GARAGE]
    repairer = ToolCallRepairer(TOOLS, HOME, AREAS, named)
    assert repairer.repair("HassTurnOn", {"name": "big door"}).args == {"name": "Garage Door"}
    with pytest.raises(ToolCallError, match="about Garage Door, not Kitchen Light"):
        repairer.repair("HassTurnOn", {"name": "Kitchen Light"})
    with pytest.raises(ToolCallError, match="HassLightSet cannot control Garage Door"):
        repairer.repair("HassLightSet", {"brightness": 100})
    # Nothing named ("turn it off"): nothing to compare with.
    free = ToolCallRepairer(TOOLS, HOME, AREAS, entity_selection.named_in(HOME, "turn it off"))
    assert free.repair("HassTurnOn", {"name": "Kitchen Light"}).args == {"name": "Kitchen Light"}


@pytest.mark.parametrize(
    ("text", "is_call"),
    [
        ('make it brighter\nfunctions.HassSetPosition:\n{ "area": "Living Room" }', True),
        ('{"name": "HassTurnOn", "arguments": {}}', True),
        ("The kitchen light is on.", False),
        ("No, the garage door is closed.", False),
    ],
)
def test_tool_calls_written_as_text_are_recognised(text: str, is_call: bool) -> None:
    assert replies.looks_like_tool_text(text) is is_call


def test_confirmation_names_what_changed() -> None:
    result = {
        "response_type": "action_done",
        "speech": {},
        "data": {"success": [{"name": "Garage Door", "id": "cover.garage_door"}], "failed": []},
    }
    assert replies.confirmation([("HassTurnOn", {}, result)]) == "Opened Garage Door."
    light = {"data": {"success": [{"name": "Kitchen Light", "id": "light.kitchen_light"}]}}
    spoken = replies.confirmation([("HassLightSet", {"brightness": 30}, light)])
    assert spoken == "Set Kitchen Light to 30% brightness."
    assert replies.confirmation([("MyScript", {}, {"success": True})]) == "Done."
    by_area = {
        "data": {
            "success": [
                {"type": "area", "name": "Bedroom", "id": "bedroom"},
                {"type": "entity", "name": "Bedroom Light", "id": "light.bedroom_light"},
            ]
        }
    }
    assert replies.confirmation([("HassTurnOn", {}, by_area)]) == "Turned on Bedroom Light."


def test_tool_errors_and_failures_are_plain_sentences() -> None:
    assert replies.tool_error({"error": "MatchFailedError", "error_text": "No light"}) == "No light"
    assert replies.tool_error({"data": {"success": [], "failed": [{"name": "Lamp"}]}}) == (
        "Lamp did not respond"
    )
    assert replies.tool_error({"data": {"success": [{"name": "Lamp"}]}}) is None
    # Home Assistant's matching failures arrive as an exception's repr: said in words.
    matched = "<MatchFailedError result=MatchTargetsResult(is_match=False, no_match_reason="
    assert replies.tool_error(
        {"error": "MatchFailedError", "error_text": matched + "<MatchFailedReason.AREA: 2>, ...>"}
    ) == ("no such device in that area")
    assert replies.tool_error({"error": "X", "error_text": "<Weird object at 0x1>"}) == (
        "the action failed"
    )
    assert replies.failure("there is no device called 'x'.") == (
        "I couldn't do that: there is no device called 'x'."
    )

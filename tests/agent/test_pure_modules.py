"""Prompt building, entity selection and replies, without HA."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from custom_components.hybrid_voice import engine
from custom_components.hybrid_voice.engine import plan_reader, replies, selection
from custom_components.hybrid_voice.engine.home_model import EntityInfo, ToolCallRecord
from custom_components.hybrid_voice.engine.prompt import (
    build_system_prompt,
    build_turn_message,
    example_messages,
)
from custom_components.hybrid_voice.engine.selection import select_relevant

from .requests import english, targets_of
from .sample_home import GARAGE, KITCHEN

LAMP = EntityInfo("light.living_room_lamp", "Living Room Lamp", "light", "Living Room")
HOME = [KITCHEN, LAMP, GARAGE]
AREAS = ["Kitchen", "Living Room", "Garage"]
TOOLS = ("HassTurnOn", "HassTurnOff", "HassLightSet", "HassSetPosition")
EXAMPLE_TOOLS = ("HassClimateSetTemperature", "HassSetVolume", "HassListCompleteItem")


def _allowed(*args: Any) -> set[str]:
    return set(targets_of(*args).allowed)


def _imports(path: Path, folder: Path) -> list[str]:
    """The modules a file imports; relative imports that leave `folder` as `..name`."""
    depth = len(path.relative_to(folder).parts) - 1  # 0 for engine/x.py
    imported: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            outside = node.level > depth + 1
            imported.append(("../" if outside else "") + (node.module or ""))
    return imported


def test_the_pure_core_does_not_import_home_assistant() -> None:
    """The pure core does not import Home Assistant.

    No module anywhere under `engine/` imports Home Assistant or the integration's
    Home Assistant side (the glue is thin, the core is tested and benchmarked alone).
    """
    folder = Path(str(engine.__file__)).parent
    pure = sorted(folder.rglob("*.py"))
    assert {path.stem for path in pure} >= {"actions", "plan", "prompt", "selection", "en"}
    for path in pure:
        for name in _imports(path, folder):
            assert not name.startswith(("homeassistant", "../", "custom_components")), (
                path,
                name,
            )


def test_system_prompt_is_byte_stable_whatever_the_order_and_states() -> None:
    changed = [GARAGE, LAMP, EntityInfo(**{**KITCHEN.__dict__, "state": "off"})]
    first = build_system_prompt("Be kind.", "en", HOME, AREAS, TOOLS, {"light", "cover"})
    assert first == build_system_prompt(
        "Be kind.", "en", changed, list(reversed(AREAS)), list(reversed(TOOLS)), {"cover", "light"}
    )
    assert "Kitchen Light (light, area Kitchen)" in first
    assert "also called Big Door" in first
    assert "Answers: English" in first
    assert "- light: turn_on, turn_off, set_brightness (value: 0-100 %)" in first
    # Only verbs whose Home Assistant tool is offered: no colour tool without HassLightSet.
    assert "set_color" in first
    assert "set_color" not in build_system_prompt("", "en", HOME, AREAS, ["HassTurnOn"], {"light"})
    assert "40" not in first  # states belong to the turn, not the prefix


def test_worked_examples_are_replies_the_plan_schema_accepts() -> None:
    messages = example_messages()
    assert [m["role"] for m in messages[:2]] == ["user", "assistant"]
    reader = plan_reader.PlanReader(
        [
            EntityInfo("light.desk_lamp", "Desk Lamp", "light"),
            EntityInfo("light.hall_light", "Hall Light", "light", state="on"),
            EntityInfo("cover.patio_blinds", "Patio Blinds", "cover"),
            EntityInfo("cover.shed_door", "Shed Door", "cover"),
            EntityInfo("climate.hall_thermostat", "Hall Thermostat", "climate"),
            EntityInfo("media_player.den_speaker", "Den Speaker", "media_player"),
            EntityInfo("light.study_lamp", "Study Lamp", "light"),
            EntityInfo("todo.chores", "Chores", "todo", items=("feed the cat",)),
            EntityInfo("script.dinner_time", "Dinner Time", "script"),
        ],
        {tool: {"name": {"type": "string"}} for tool in (*TOOLS, *EXAMPLE_TOOLS)},
        {"light.desk_lamp", "light.hall_light", "cover.patio_blinds", "cover.shed_door"}
        | {"climate.hall_thermostat", "media_player.den_speaker", "light.study_lamp"}
        | {"todo.chores", "script.dinner_time"},
    )
    replies = [json.loads(m["content"]) for m in messages if m["role"] == "assistant"]
    for reply in replies:
        read = reader.read(json.dumps(reply))
        assert read.answer if isinstance(reply, dict) else len(read.calls) == len(reply)
    assert any(isinstance(reply, list) for reply in replies)


def test_turn_message_carries_states_and_request_last() -> None:
    message = build_turn_message("dim it", [KITCHEN])
    assert "- Kitchen Light: on, brightness 40%" in message
    assert message.endswith("Request: dim it")


def test_requests_may_only_act_on_the_devices_they_point_at() -> None:
    assert _allowed(HOME, "turn on the disco ball") == set()
    # Naming the kitchen light rules out the other lights, not the garage door.
    assert _allowed(HOME, "turn on the kitchen light and open the garage") == {
        "light.kitchen_light",
        "cover.garage_door",
    }
    dark = _allowed(HOME, "it is too dark in the living room")
    assert "light.living_room_lamp" in dark
    assert "cover.garage_door" not in dark
    assert "light.kitchen_light" in _allowed(HOME, "and off again", ["Kitchen Light"])


def test_media_verbs_are_not_mistaken_for_unknown_devices() -> None:
    tv = EntityInfo("media_player.tv", "Living Room TV", "media_player", "Living Room")
    front = EntityInfo("lock.front_door", "Front Door", "lock", "Hallway")
    home = [*HOME, tv, front]
    assert "media_player.tv" in _allowed(home, "unpause the TV")
    assert "media_player.tv" in _allowed(home, "the tv is too quiet")
    # "shed" names nothing here: the request is not about the lights that exist.
    assert _allowed(home, "turn on the lights in the shed") == set()
    assert _allowed(home, "unlock the shed") == set()


def test_large_home_gets_only_relevant_entities_within_budget() -> None:
    home = [
        EntityInfo(f"light.room_{n}", f"Room {n} Light", "light", f"Room {n}") for n in range(200)
    ]
    home.append(GARAGE)
    assert not selection.fits_budget(home, 600)
    chosen = select_relevant(home, english("is the garage door open?", home), 150)
    assert chosen[0] == GARAGE
    assert sum(selection.estimate_tokens(selection.describe(e)) for e in chosen) <= 150


def test_turn_states_keep_to_the_devices_that_score_best() -> None:
    curtains = EntityInfo("cover.bedroom_curtains", "Bedroom Curtains", "cover", "Bedroom")
    blinds = EntityInfo("cover.office_blinds", "Office Blinds", "cover", "Office")
    lamp = EntityInfo("light.bedroom_lamp", "Bedroom Lamp", "light", "Bedroom")
    home = [*HOME, curtains, blinds, lamp]
    utterance = "open the bedroom curtains halfway"
    assert len(select_relevant(home, english(utterance, home), 300)) > 1
    assert select_relevant(home, english(utterance, home), 300, gap=1.0) == [curtains]
    # Devices that match equally well all stay: "are any lights on?"
    lights = select_relevant(home, english("are any lights on?", home), 300, gap=1.0)
    assert {e.entity_id for e in lights} >= {"light.kitchen_light", "light.bedroom_lamp"}


def test_earlier_turns_keep_their_device_relevant() -> None:
    assert (
        select_relevant(HOME, english("now make it dimmer", HOME), 300, ["Kitchen Light"])[0]
        == KITCHEN
    )


def test_confirmation_names_what_changed() -> None:
    result = {
        "response_type": "action_done",
        "speech": {},
        "data": {"success": [{"name": "Garage Door", "id": "cover.garage_door"}], "failed": []},
    }
    assert replies.confirmation([ToolCallRecord("HassTurnOn", {}, result)]) == "Opened Garage Door."
    light = {"data": {"success": [{"name": "Kitchen Light", "id": "light.kitchen_light"}]}}
    spoken = replies.confirmation([ToolCallRecord("HassLightSet", {"brightness": 30}, light)])
    assert spoken == "Set Kitchen Light to 30% brightness."
    assert replies.confirmation([ToolCallRecord("MyScript", {}, {"success": True})]) == "Done."
    by_area = {
        "data": {
            "success": [
                {"type": "area", "name": "Bedroom", "id": "bedroom"},
                {"type": "entity", "name": "Bedroom Light", "id": "light.bedroom_light"},
            ]
        }
    }
    assert (
        replies.confirmation([ToolCallRecord("HassTurnOn", {}, by_area)])
        == "Turned on Bedroom Light."
    )


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


def test_an_area_and_a_kind_of_device_mean_the_devices_of_that_kind_there() -> None:
    radiator = EntityInfo("climate.radiator", "Radiator", "climate", "Kitchen")
    home = [*HOME, radiator]
    assert _allowed(home, "make the kitchen a bit warmer") == {"climate.radiator"}
    assert _allowed(home, "turn everything off in the kitchen") == {
        "light.kitchen_light",
        "climate.radiator",
    }

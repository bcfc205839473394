"""What the model may do to each kind of device, and which Home Assistant tool does it.

A small model picks a device and then one of a handful of plain verbs ("open",
"set_brightness") instead of choosing among twenty intent tools that each accept every
device. Every verb maps to one tool of Home Assistant's LLM API (HassTurnOn, HassLightSet,
...); only verbs whose tool the API offers are used.

Plain Python (no Home Assistant import) so it is tested directly.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Action:
    """One verb: the tool it runs and the tool argument its value fills, if any."""

    verb: str
    tool: str
    argument: str | None = None
    kind: Literal["number", "text"] | None = None
    low: float = 0
    high: float = 100
    # The state attribute a relative value ("+20") starts from, and where it starts
    # when a device that is on does not report it.
    current: str | None = None
    current_when_on: float = 0
    hint: str = ""


_ON_OFF = (Action("turn_on", "HassTurnOn"), Action("turn_off", "HassTurnOff"))
_OPEN_CLOSE = (
    Action("open", "HassTurnOn"),
    Action("close", "HassTurnOff"),
    Action(
        "set_position",
        "HassSetPosition",
        "position",
        "number",
        current="current_position",
        hint="0-100 %",
    ),
)

DOMAIN_ACTIONS: Mapping[str, tuple[Action, ...]] = {
    "light": (
        *_ON_OFF,
        Action(
            "set_brightness",
            "HassLightSet",
            "brightness",
            "number",
            current="brightness_pct",
            current_when_on=100,  # a light that is on without a brightness is at full
            hint="0-100 %",
        ),
        Action("set_color", "HassLightSet", "color", "text", hint="a colour name"),
    ),
    "switch": _ON_OFF,
    "fan": _ON_OFF,
    "input_boolean": _ON_OFF,
    "cover": _OPEN_CLOSE,
    "valve": _OPEN_CLOSE,
    "lock": (Action("lock", "HassTurnOn"), Action("unlock", "HassTurnOff")),
    "media_player": (
        *_ON_OFF,
        Action("pause", "HassMediaPause"),
        Action("resume", "HassMediaUnpause"),
        Action("next_track", "HassMediaNext"),
        Action("previous_track", "HassMediaPrevious"),
        Action(
            "set_volume",
            "HassSetVolume",
            "volume_level",
            "number",
            current="volume_pct",
            hint="0-100 %",
        ),
    ),
    "vacuum": (
        Action("start", "HassVacuumStart"),
        Action("return_to_base", "HassVacuumReturnToBase"),
    ),
    "climate": (
        *_ON_OFF,
        Action(
            "set_temperature",
            "HassClimateSetTemperature",
            "temperature",
            "number",
            low=5,
            high=35,
            current="temperature",
            hint="degrees",
        ),
    ),
    "todo": (
        Action("add_item", "HassListAddItem", "item", "text", hint="the item"),
        Action("complete_item", "HassListCompleteItem", "item", "text", hint="the item"),
    ),
    "script": (Action("run", "HassTurnOn"),),
    "scene": (Action("activate", "HassTurnOn"),),
}


def actions_for(domain: str, tools: Collection[str]) -> tuple[Action, ...]:
    """The verbs of a domain whose tools the LLM API offers."""
    return tuple(action for action in DOMAIN_ACTIONS.get(domain, ()) if action.tool in tools)


def find_action(domain: str, verb: str, tools: Collection[str]) -> Action | None:
    return next((a for a in actions_for(domain, tools) if a.verb == verb), None)


def verb_for(domain: str, tool: str, arguments: Collection[str]) -> str | None:
    """The verb that ran `tool` with these arguments (to show earlier turns as plans)."""
    for action in DOMAIN_ACTIONS.get(domain, ()):
        if action.tool == tool and (action.argument is None or action.argument in arguments):
            return action.verb
    return None

"""What the model may do to each kind of device, and which Home Assistant tool does it.

A small model picks a device and then one of a handful of plain verbs ("open",
"set_brightness") instead of choosing among twenty intent tools that each accept every
device. Every verb maps to one tool of Home Assistant's LLM API (HassTurnOn, HassLightSet,
...); only verbs whose tool the API offers are used.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Literal


@dataclass(frozen=True)
class Action:
    """One verb: the tool it runs and the tool argument its value fills, if any.

    A verb with a `step` ("brighter") takes no value: it moves the argument by `step`
    from the current state. An "item" value must be one of the device's own items.
    """

    verb: str
    tool: str
    argument: str | None = None
    kind: Literal["number", "text", "item"] | None = None
    low: float = 0
    high: float = 100
    # The state attribute a relative value ("+20") starts from, and where it starts
    # when a device that is on does not report it.
    current: str | None = None
    current_when_on: float = 0
    step: float = 0
    wakes: bool = False  # a device that is off is turned on first
    hint: str = ""

    @property
    def takes_value(self) -> bool:
        """Whether the model writes a value after the device."""
        return self.argument is not None and not self.step

    @property
    def relative(self) -> str | None:
        """A step verb's change as the signed value it stands for ("+20")."""
        return f"{self.step:+g}" if self.step else None


_ON_OFF = (Action("turn_on", "HassTurnOn"), Action("turn_off", "HassTurnOff"))
# Verbs that mean the same for different kinds of device: the grammar allows them on
# every device, and the plan reader swaps in the device's own verb. Locks are left out
# on purpose: "open" must never lock or unlock a door.
SAME_MEANING = (
    frozenset({"turn_on", "open", "start", "run", "activate", "resume"}),
    frozenset({"turn_off", "close", "pause", "stop"}),
    frozenset({"set_brightness", "set_position", "set_volume", "set_temperature"}),
    frozenset({"brighter", "louder", "warmer"}),
    frozenset({"dimmer", "quieter", "cooler"}),
)
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


def _steps(up: str, down: str, base: Action, step: float) -> tuple[Action, Action]:
    """The two verbs that move `base`'s value by `step` without one being said."""
    hint = f"{step:g} {'degree' if step == 1 else '%'}"
    return (
        replace(base, verb=up, step=step, hint=hint),
        replace(base, verb=down, step=-step, hint=hint),
    )


_SET_BRIGHTNESS = Action(
    "set_brightness",
    "HassLightSet",
    "brightness",
    "number",
    current="brightness_pct",
    current_when_on=100,  # a light that is on without a brightness is at full
    hint="0-100 %",
)
_SET_VOLUME = Action(
    "set_volume", "HassSetVolume", "volume_level", "number", current="volume_pct", hint="0-100 %"
)
_SET_TEMPERATURE = Action(
    "set_temperature",
    "HassClimateSetTemperature",
    "temperature",
    "number",
    low=5,
    high=35,
    current="temperature",
    wakes=True,
    hint="degrees",
)

DOMAIN_ACTIONS: Mapping[str, tuple[Action, ...]] = {
    "light": (
        *_ON_OFF,
        _SET_BRIGHTNESS,
        *_steps("brighter", "dimmer", _SET_BRIGHTNESS, 20),
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
        _SET_VOLUME,
        *_steps("louder", "quieter", _SET_VOLUME, 10),
    ),
    "vacuum": (
        Action("start", "HassVacuumStart"),
        Action("return_to_base", "HassVacuumReturnToBase"),
    ),
    "climate": (*_ON_OFF, _SET_TEMPERATURE, *_steps("warmer", "cooler", _SET_TEMPERATURE, 1)),
    "todo": (
        Action("add_item", "HassListAddItem", "item", "text", hint="the item"),
        Action("complete_item", "HassListCompleteItem", "item", "item", hint="an item on the list"),
    ),
    "script": (Action("run", "HassTurnOn"),),
    "scene": (Action("activate", "HassTurnOn"),),
}


def actions_for(domain: str, tools: Collection[str]) -> tuple[Action, ...]:
    """The verbs of a domain whose tools the LLM API offers."""
    return tuple(action for action in DOMAIN_ACTIONS.get(domain, ()) if action.tool in tools)


def own_verbs(domain: str) -> set[str]:
    """The verbs a kind of device has itself ("open" for a cover, not for a light)."""
    return {action.verb for action in DOMAIN_ACTIONS.get(domain, ())}


def find_action(domain: str, verb: str, tools: Collection[str]) -> Action | None:
    """The device's own verb of that name, if its tool is offered."""
    return next((a for a in actions_for(domain, tools) if a.verb == verb), None)


def same_meaning(domain: str, verb: str, tools: Collection[str]) -> Action | None:
    """The device's own verb for a verb of another kind of device ("start" a fan)."""
    if (action := find_action(domain, verb, tools)) is not None:
        return action
    for group in SAME_MEANING:
        if verb in group:
            for action in actions_for(domain, tools):
                if action.verb in group:
                    return action
    return None


def step_verb(domain: str, action: Action, direction: int, tools: Collection[str]) -> Action | None:
    """The verb that moves `action`'s value one step in `direction` (+1 or -1)."""
    if not action.current:
        return None  # a value that is not relative to a state (a colour, an item)
    for other in actions_for(domain, tools):
        if other.step * direction > 0 and other.argument == action.argument:
            return other
    return None


def spoken_verbs(domain: str, tools: Collection[str]) -> dict[str, Action]:
    """Every verb the model may write for a kind of device.

    Every verb the grammar lets the model write for a device of `domain`: its own,
    and those of other kinds of device that mean the same.
    """
    verbs = {action.verb: action for action in actions_for(domain, tools)}
    for group in SAME_MEANING:
        for verb in sorted(group - set(verbs)):
            if (action := same_meaning(domain, verb, tools)) is not None:
                verbs[verb] = action
    return verbs


def verb_for(domain: str, tool: str, arguments: Collection[str]) -> str | None:
    """The verb that ran `tool` with these arguments (to show earlier turns as plans)."""
    for action in DOMAIN_ACTIONS.get(domain, ()):
        fits = action.argument is None or action.argument in arguments
        if action.tool == tool and fits and not action.step:
            return action.verb
    return None

"""Validation and repair of the model's tool calls against the real home.

A small model's call is checked before anything runs: the tool must exist, the
arguments must be a JSON object of the offered schema, names and areas must exist.
Near misses are repaired ("kitchen lights" -> "Kitchen Light", "living_room" ->
"Living Room", an entity id in `name` or `domain`, "50%" -> 50); anything else is a
`ToolCallError` whose message is sent back to the model once and then told to the user.

Plain Python (no Home Assistant import) so it is tested directly.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .entity_selection import EntityInfo

_CUTOFF = 0.8
# Tools that act on one domain only: their calls always name it (Home Assistant's
# HassLightSet otherwise "sets" every device of an area, TVs and lists included).
TOOL_DOMAINS = {
    "HassLightSet": "light",
    "HassSetVolume": "media_player",
    "HassMediaPause": "media_player",
    "HassMediaUnpause": "media_player",
    "HassMediaNext": "media_player",
    "HassMediaPrevious": "media_player",
    "HassVacuumStart": "vacuum",
    "HassVacuumReturnToBase": "vacuum",
    "HassClimateSetTemperature": "climate",
}
_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$")

# Tools whose call without a name or an area would change every such device of the home.
NEEDS_TARGET = frozenset({"HassLightSet", "HassSetPosition"})


class ToolCallError(Exception):
    """The call cannot be made safe; the message says why, in words for the model."""


@dataclass
class RepairedCall:
    """A call that is safe to run, and what was changed to make it so."""

    name: str
    args: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def normalize(text: str) -> str:
    """`The living_room  Lights` -> `living room light`."""
    text = re.sub(r"[_\s]+", " ", text.strip().lower())
    text = re.sub(r"^the ", "", text)
    return " ".join(
        word[:-1] if len(word) > 3 and word.endswith("s") else word for word in text.split()
    )


def _closest(value: str, choices: Mapping[str, str]) -> str | None:
    """The canonical choice whose normalized form is `value`'s, or is very close."""
    key = normalize(value)
    if key in choices:
        return choices[key]
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=_CUTOFF)
    return choices[close[0]] if close else None


class ToolCallRepairer:
    """Checks calls against the offered tool schemas and the exposed entities."""

    def __init__(
        self,
        tools: Mapping[str, Mapping[str, Any]],
        entities: Sequence[EntityInfo],
        areas: Sequence[str],
        named: Sequence[EntityInfo] = (),
    ) -> None:
        """`named`: the devices the user called by name; a call must not act on others."""
        self._named = tuple(named)
        self._tools = dict(tools)
        self._tool_keys = {normalize(name): name for name in tools}
        self._by_id = {entity.entity_id: entity for entity in entities}
        self._by_name: dict[str, EntityInfo] = {}
        for entity in entities:
            for name in entity.names:
                self._by_name.setdefault(normalize(name), entity)
        self._entities = tuple(entities)
        self._names = {key: entity.name for key, entity in self._by_name.items()}
        self._areas = {normalize(area): area for area in areas}

    def repair(self, tool_name: str, raw_args: str | Mapping[str, Any] | None) -> RepairedCall:
        """The call as it will run; raise `ToolCallError` when it cannot be fixed."""
        call = RepairedCall(name=self._tool(tool_name), args={})
        if call.name != tool_name:
            call.notes.append(f"tool {tool_name!r} -> {call.name!r}")
        args = self._parse(raw_args)
        schema = self._tools[call.name]
        properties: Mapping[str, Any] = schema.get("properties", {})
        keys = {normalize(key): key for key in properties}
        for key, value in args.items():
            if value in (None, "", [], {}):
                continue
            target = key if key in properties else _closest(key, keys)
            if target is None:
                call.notes.append(f"dropped unknown argument {key!r}")
                continue
            call.args[target] = self._value(target, value, properties[target], call)
        if (pinned := TOOL_DOMAINS.get(call.name)) is not None and "domain" in properties:
            kind = properties["domain"].get("type")
            call.args["domain"] = [pinned] if kind == "array" else pinned
        self._check_target(call)
        self._check_area(call)
        self._check_named(call)
        if call.name in NEEDS_TARGET and not ({"name", "area"} & call.args.keys()):
            raise ToolCallError(f"{call.name} needs the name or the area of the device")
        missing = [key for key in schema.get("required", []) if key not in call.args]
        if missing:
            raise ToolCallError(f"{call.name} needs {', '.join(missing)}")
        return call

    def _tool(self, name: str) -> str:
        if name in self._tools:
            return name
        if (found := _closest(name.removeprefix("functions."), self._tool_keys)) is not None:
            return found
        offered = ", ".join(sorted(self._tools))
        raise ToolCallError(f"there is no tool called {name!r}; the tools are {offered}")

    @staticmethod
    def _parse(raw_args: str | Mapping[str, Any] | None) -> dict[str, Any]:
        if raw_args is None or raw_args == "":
            return {}
        if isinstance(raw_args, str):
            try:
                raw_args = json.loads(raw_args)
            except json.JSONDecodeError as err:
                raise ToolCallError(f"the arguments are not valid JSON ({err.msg})") from None
        if not isinstance(raw_args, Mapping):
            raise ToolCallError("the arguments must be a JSON object")
        return dict(raw_args)

    def _value(  # noqa: PLR0911  (one return per kind of argument)
        self, key: str, value: Any, schema: Mapping[str, Any], call: RepairedCall
    ) -> Any:
        if isinstance(value, str) and value[:1] in "[{" and value[-1:] in "]}":
            with contextlib.suppress(json.JSONDecodeError):
                value = json.loads(value)
        kind = schema.get("type")
        if kind == "array":
            items = value if isinstance(value, list) else [value]
            return [self._value(key, item, schema.get("items", {}), call) for item in items]
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if key == "name":
            return self._name(str(value), call)
        if key == "area":
            return self._area(str(value), call)
        if key == "domain":
            value = self._domain(str(value), call)
        if kind in ("integer", "number"):
            return self._number(key, value, schema, kind, call)
        if (choices := schema.get("enum")) is not None:
            return self._choice(key, value, choices, call)
        if kind == "string" and not isinstance(value, str):
            return json.dumps(value) if isinstance(value, (dict, list)) else str(value)
        return value

    def _name(self, value: str, call: RepairedCall) -> str:
        if (entity := self._by_id.get(value.strip().lower())) is not None:
            call.notes.append(f"name {value!r} -> {entity.name!r}")
            return entity.name
        found = _closest(value, self._names)
        if found is None and (area := _closest(value, self._areas)) is not None:
            # The model put an area into `name`; `_check_target` moves it.
            call.notes.append(f"name {value!r} is the area {area!r}")
            return "\0area:" + area
        if found is None:
            raise ToolCallError(f"there is no device called {value!r}")
        if found != value:
            call.notes.append(f"name {value!r} -> {found!r}")
        return found

    def _area(self, value: str, call: RepairedCall) -> str:
        found = _closest(value, self._areas)
        if found is None:
            raise ToolCallError(f"there is no area called {value!r}")
        if found != value:
            call.notes.append(f"area {value!r} -> {found!r}")
        return found

    def _domain(self, value: str, call: RepairedCall) -> str:
        if "." in value and (entity := self._by_id.get(value.strip().lower())) is not None:
            call.notes.append(f"domain {value!r} -> {entity.domain!r}")
            call.args.setdefault("name", entity.name)
            return entity.domain
        return value.strip().lower()

    @staticmethod
    def _number(
        key: str, value: Any, schema: Mapping[str, Any], kind: str, call: RepairedCall
    ) -> float | int:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ToolCallError(f"{key} must be a number")
        match = _NUMBER.match(str(value))
        if match is None:
            raise ToolCallError(f"{key} must be a number, not {value!r}")
        number: float = float(match.group(1))
        low, high = schema.get("minimum"), schema.get("maximum")
        clamped = min(
            max(number, low if low is not None else number), high if high is not None else number
        )
        if clamped != number:
            call.notes.append(f"{key} {number:g} -> {clamped:g}")
        return round(clamped) if kind == "integer" else clamped

    @staticmethod
    def _choice(key: str, value: Any, choices: Sequence[Any], call: RepairedCall) -> Any:
        if value in choices:
            return value
        found = _closest(str(value), {normalize(str(choice)): choice for choice in choices})
        if found is None:
            raise ToolCallError(f"{key} must be one of {', '.join(map(str, choices))}")
        call.notes.append(f"{key} {value!r} -> {found!r}")
        return found

    def _check_target(self, call: RepairedCall) -> None:
        """Move an area named as a device; make the domain agree with the device."""
        name = call.args.get("name")
        if isinstance(name, str) and name.startswith("\0area:"):
            del call.args["name"]
            call.args.setdefault("area", name.removeprefix("\0area:"))
            return
        entity = self._by_name.get(normalize(name)) if isinstance(name, str) else None
        domain = call.args.get("domain")
        if entity is None or domain is None:
            return
        wanted: Any = [entity.domain] if isinstance(domain, list) else entity.domain
        if domain != wanted and TOOL_DOMAINS.get(call.name) is not None:
            raise ToolCallError(f"{call.name} cannot control {entity.name} ({entity.domain})")
        if domain != wanted:
            call.notes.append(f"domain {domain!r} -> {wanted!r} (the domain of {entity.name})")
            call.args["domain"] = wanted

    def _check_area(self, call: RepairedCall) -> None:
        """A device named with the wrong area keeps its name and loses the area; an area
        without a device of the requested kind is an error the model can correct."""
        area = call.args.get("area")
        if not isinstance(area, str):
            return
        in_area = [e for e in self._entities if e.area and normalize(e.area) == normalize(area)]
        name = call.args.get("name")
        if isinstance(name, str):
            named = [e for e in self._entities if normalize(name) in map(normalize, e.names)]
            if named and not any(entity in in_area for entity in named):
                call.notes.append(f"dropped area {area!r}: {name} is elsewhere")
                del call.args["area"]
            return
        domain = call.args.get("domain")
        domains = set(domain) if isinstance(domain, list) else {domain} if domain else set()
        if domains and not any(entity.domain in domains for entity in in_area):
            there = ", ".join(f"{e.name} ({e.domain})" for e in in_area) or "nothing"
            kinds = " or ".join(sorted(domains))
            raise ToolCallError(f"there is no {kinds} in {area}; there are: {there}")

    def _check_named(self, call: RepairedCall) -> None:
        """When the user named devices, a call names one of them, or, for a tool of one
        domain without a name, at least one of them is of that domain."""
        if not self._named:
            return
        named = ", ".join(dict.fromkeys(entity.name for entity in self._named))
        name = call.args.get("name")
        entity = self._by_name.get(normalize(name)) if isinstance(name, str) else None
        if entity is not None and entity.name not in {e.name for e in self._named}:
            raise ToolCallError(f"the request is about {named}, not {entity.name}")
        pinned = TOOL_DOMAINS.get(call.name)
        if name is None and pinned and all(e.domain != pinned for e in self._named):
            raise ToolCallError(f"{call.name} cannot control {named}")

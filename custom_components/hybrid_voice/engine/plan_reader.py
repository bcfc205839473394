"""Reading the model's reply into checked Home Assistant tool calls.

Reading the model's reply: an answer to speak, or device actions (`"verb Device
value"` strings, or objects with name, action and value) turned into checked Home
Assistant tool calls.

The grammar already keeps a reply to the plan schema, but an endpoint may ignore it, so
every part is checked again: near-miss names and verbs are repaired ("kitchen lights" ->
"Kitchen Light", "turn_on" on a lock -> "lock"), relative values are worked out from the
current state ("+20" on 40% brightness -> 60), values are kept in range, and a device
the request does not point at is refused. Anything that cannot be made safe is a
`PlanError` whose message goes back to the model once, then to the user.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from .actions import Action, actions_for, find_action, same_meaning, step_verb
from .home_model import EntityInfo
from .names import closest, normalize
from .plan import Plan, PlanError, ToolCall, looks_like_tool_text, split_action_text

_NUMBER = re.compile(r"^\s*([+-]?)\s*(\d+(?:\.\d+)?)\s*%?\s*$")


class PlanReader:
    """Turns replies into tool calls for one turn."""

    def __init__(
        self,
        entities: Sequence[EntityInfo],
        tool_parameters: Mapping[str, Mapping[str, Any]],
        allowed: Collection[str],
        named: Collection[str] = (),
        direction: int = 0,
    ) -> None:
        """A reader for one turn.

        `tool_parameters`: each offered tool's JSON-schema properties; `allowed`: the
        entity ids this request may act on; `named`: those it calls by name;
        `direction`: +1 or -1 when the request moves values one step that way
        (`request.ParsedRequest.direction`).
        """
        self._tools = tool_parameters
        self._direction = direction
        self._allowed = frozenset(allowed)
        self._named = frozenset(named)
        self._by_id = {entity.entity_id: entity for entity in entities}
        self._by_name: dict[str, EntityInfo] = {}
        for entity in entities:
            if actions_for(entity.domain, tool_parameters):
                for name in entity.names:
                    self._by_name.setdefault(normalize(name), entity)

    def read(self, text: str) -> Plan:
        """The plan in a reply; raise PlanError when it cannot be carried out."""
        try:
            reply = json.loads(text)
        except json.JSONDecodeError:
            if text.strip() and not looks_like_tool_text(text):
                return Plan(answer=text.strip())  # an endpoint that ignored the schema
            raise PlanError("the reply is not valid JSON") from None
        if isinstance(reply, list):
            reply = {"actions": [self._split(item) for item in reply]}
        if not isinstance(reply, dict):
            raise PlanError('the reply must be ["VERB DEVICE", ...] or {"answer": "..."}')
        if actions := reply.get("actions"):
            return self._action_plan(actions if isinstance(actions, list) else [actions])
        answer = reply.get("answer")
        if isinstance(answer, str) and answer.strip() and not looks_like_tool_text(answer):
            return Plan(answer=answer.strip())
        raise PlanError("the reply has neither actions nor an answer")

    def _action_plan(self, items: list[Any]) -> Plan:
        """The calls of the actions.

        An action that cannot be carried out is dropped when it is an extra on a device
        the user did not name; otherwise the whole plan goes back.
        """
        plan = Plan()
        problems: list[tuple[Any, PlanError]] = []
        for item in items:
            try:
                plan.calls.extend(self._calls(item, plan.notes))
            except PlanError as err:
                problems.append((item, err))
        for item, problem in problems:
            if not plan.calls or self._names_named_device(item):
                raise problem
            plan.notes.append(f"dropped {json.dumps(item)}: {problem}")
        return plan

    def _split(self, item: Any) -> Any:
        """An action written as text, as the object form; other items as they are."""
        return split_action_text(item, self._known) if isinstance(item, str) else item

    def _known(self, name: str, exact: bool) -> bool:
        if exact:
            return normalize(name) in self._by_name or name.lower() in self._by_id
        return self._find(name) is not None

    def _find(self, name: str) -> EntityInfo | None:
        """The device an entity id or a (near-miss) name means."""
        return self._by_id.get(name.strip().lower()) or closest(name, self._by_name)

    def _names_named_device(self, item: Any) -> bool:
        name = str(item.get("name") or "") if isinstance(item, dict) else ""
        entity = self._find(name)
        return entity is not None and entity.entity_id in self._named

    def _calls(self, item: Any, notes: list[str]) -> list[ToolCall]:
        """The calls one action makes.

        The call an action makes, after turning on a device that must be on for it
        (a heater that is off does not heat to any temperature).
        """
        if not isinstance(item, dict):
            raise PlanError("each action must be an object with a name and an action")
        entity = self._entity(str(item.get("name") or ""), notes)
        action = self._action(entity, str(item.get("action") or ""), notes)
        if self._direction and (
            stepper := step_verb(entity.domain, action, self._direction, self._tools)
        ):
            if stepper != action or item.get("value") is not None:
                notes.append(
                    f"{action.verb} {item.get('value')} -> {stepper.verb}: the words say so"
                )
            action, item = stepper, {**item, "value": None}
        call = self._tool_call(entity, action, item, notes)
        waking = find_action(entity.domain, "turn_on", self._tools)
        if not action.wakes or entity.state != "off" or waking is None:
            return [call]
        notes.append(f"{entity.name} is off: turned on first")
        return [self._tool_call(entity, waking, {}, notes), call]

    def _tool_call(
        self, entity: EntityInfo, action: Action, item: dict[str, Any], notes: list[str]
    ) -> ToolCall:
        parameters = self._tools[action.tool]
        args: dict[str, Any] = {"name": entity.name}
        if "domain" in parameters:
            kind = parameters["domain"].get("type")
            args["domain"] = [entity.domain] if kind == "array" else entity.domain
        if action.argument is not None:
            value = action.relative or item.get("value")
            args[action.argument] = self._value(entity, action, value, notes)
        return ToolCall(tool=action.tool, args=args, entity=entity, verb=action.verb)

    def _entity(self, name: str, notes: list[str]) -> EntityInfo:
        entity = self._find(name)
        if entity is None:
            raise PlanError(f"there is no device called {name!r}")
        if entity.entity_id not in self._allowed:
            raise PlanError(f"the request does not mention {entity.name}")
        if entity.name != name:
            notes.append(f"name {name!r} -> {entity.name!r}")
        return entity

    def _action(self, entity: EntityInfo, verb: str, notes: list[str]) -> Action:
        # The same meaning in the words of another kind of device: "turn_on" a cover.
        if (action := same_meaning(entity.domain, verb, self._tools)) is not None:
            if action.verb != verb:
                notes.append(f"action {verb!r} -> {action.verb!r} for {entity.name}")
            return action
        verbs = ", ".join(action.verb for action in actions_for(entity.domain, self._tools))
        raise PlanError(f"{entity.name} cannot {verb!r}; it can: {verbs}")

    @staticmethod
    def _value(entity: EntityInfo, action: Action, value: Any, notes: list[str]) -> Any:
        if action.kind == "item":
            return _item(entity, value, notes)
        if action.kind == "text":
            if not isinstance(value, str) or not value.strip():
                raise PlanError(f"{action.verb} needs {action.hint}")
            if action.tool == "HassListAddItem" and normalize(value) in map(
                normalize, entity.items
            ):
                # A small model copies an item it was shown instead of the one said.
                raise PlanError(f"{value.strip()} is already on {entity.name}")
            return value.strip()
        if isinstance(value, bool) or value is None:
            raise PlanError(f"{action.verb} needs a number ({action.hint})")
        match = _NUMBER.match(str(value))
        if match is None:
            raise PlanError(f"{action.verb} needs a number ({action.hint}), not {value!r}")
        sign, digits = match.groups()
        number = float(digits)
        if sign and isinstance(value, str):
            state = dict(entity.attributes)
            assumed = action.current_when_on if entity.state == "on" else 0
            start = float(state.get(action.current or "") or assumed)
            number = start + number if sign == "+" else start - number
            notes.append(f"{action.verb} {value} from {start:g} -> {number:g}")
        elif sign == "-":
            number = -number
        clamped = min(max(number, action.low), action.high)
        if clamped != number:
            notes.append(f"{action.verb} {number:g} -> {clamped:g}")
        return int(clamped) if clamped == int(clamped) else clamped


def _item(entity: EntityInfo, value: Any, notes: list[str]) -> str:
    """The open item of a to-do list that `value` names (near misses repaired)."""
    if not entity.items:
        raise PlanError(f"{entity.name} has no open items")
    found = closest(str(value or ""), {normalize(item): item for item in entity.items})
    if found is None:
        raise PlanError(f"{entity.name} has no item {value!r}; it has: {'; '.join(entity.items)}")
    if found != value:
        notes.append(f"item {value!r} -> {found!r}")
    return found

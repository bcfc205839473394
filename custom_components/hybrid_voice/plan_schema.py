"""The JSON schema the model's reply must follow: a plan of device actions, or an answer.

    {"actions": [{"name": "Kitchen Light", "action": "set_brightness", "value": 40}]}
    {"answer": "Yes, the front door is locked."}

The server turns the schema into a grammar, so the model can only write a device that
exists and a verb that some device has; which verbs fit which device, and that a verb
that needs a value has one, is checked by `plan.PlanReader` (a grammar with a branch per
kind of device measured four times slower per token on llama.cpp). Values are a
number, a relative change ("+20", "-1") worked out from the current state, or text (a
colour, a list item).

Plain Python (no Home Assistant import) so it is tested directly.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from .actions import actions_for
from .entity_selection import EntityInfo

MAX_ACTIONS = 5


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


def plan_schema(entities: Sequence[EntityInfo], tools: Collection[str]) -> dict[str, Any]:
    """The reply schema for this home and these Home Assistant tools."""
    names: set[str] = set()
    verbs: set[str] = set()
    for entity in entities:
        if actions := actions_for(entity.domain, tools):
            names.update(entity.names)
            verbs.update(action.verb for action in actions)
    answer = _object({"answer": {"type": "string"}})
    if not names:
        return answer
    item = _object(
        {
            "name": {"enum": sorted(names)},
            "action": {"enum": sorted(verbs)},
            "value": {"anyOf": [{"type": "number"}, {"type": "string"}]},
        },
        required=["name", "action"],
    )
    actions_list = {"type": "array", "items": item, "minItems": 1, "maxItems": MAX_ACTIONS}
    return {"anyOf": [_object({"actions": actions_list}), answer]}

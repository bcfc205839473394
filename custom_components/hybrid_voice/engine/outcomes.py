"""Whether an action that Home Assistant reported as done changed the device.

Home Assistant's intents wait only a moment for a device's service and report success
even when the service then fails or the device never changes: "Turned on the kitchen
light" while it stays off. The state a successful action must leave its device in is
known for switch-like devices; a device that is not in it was not changed, and the
agent says so instead of confirming.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from .home_model import EntityInfo, ToolCallRecord

_ON = frozenset({"on"})
_OFF = frozenset({"off"})
_OPEN = frozenset({"open", "opening"})
_CLOSED = frozenset({"closed", "closing"})
# The states a device may show after a tool ran on it, by (tool, domain). Devices whose
# state after an action is not fixed (media players, thermostats, scripts) are absent.
_REACHED: Mapping[tuple[str, str], frozenset[str]] = {
    **{("HassTurnOn", domain): _ON for domain in ("light", "switch", "fan", "input_boolean")},
    **{("HassTurnOff", domain): _OFF for domain in ("light", "switch", "fan", "input_boolean")},
    ("HassTurnOn", "lock"): frozenset({"locked", "locking"}),
    ("HassTurnOff", "lock"): frozenset({"unlocked", "unlocking", "open", "opening"}),
    **{("HassTurnOn", domain): _OPEN for domain in ("cover", "valve")},
    **{("HassTurnOff", domain): _CLOSED for domain in ("cover", "valve")},
}


def changed_entities(result: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (entity id, name) pairs a tool result says it acted on."""
    data = result.get("data")
    success = data.get("success") if isinstance(data, Mapping) else None
    if not isinstance(success, Sequence):
        return []
    return [
        (str(item["id"]), str(item.get("name") or item["id"]))
        for item in success
        if isinstance(item, Mapping) and item.get("type", "entity") == "entity" and "id" in item
    ]


def expected_states(tool: str, entity_id: str) -> frozenset[str] | None:
    """The states `tool` must leave the entity in, or None when that is not fixed."""
    return _REACHED.get((tool, entity_id.partition(".")[0]))


def unchanged(call: ToolCallRecord, states: Mapping[str, str | None]) -> list[tuple[str, str]]:
    """The (name, state) of each device the call reported done but that is not so.

    `states` gives each entity's current state (None: the entity is gone).
    """
    missed = []
    for entity_id, name in changed_entities(call.result):
        wanted = expected_states(call.tool, entity_id)
        if wanted is not None and entity_id in states and states[entity_id] not in wanted:
            missed.append((name, states[entity_id] or "unavailable"))
    return missed


def as_failure(call: ToolCallRecord, missed: Sequence[tuple[str, str]]) -> ToolCallRecord:
    """The call recorded as failed: its devices are still in the states given."""
    text = "; ".join(f"{name} is still {state}" for name, state in missed)
    return replace(call, result={"error": "NotChanged", "error_text": text})


# The states in which running the tool would change nothing the user asked for, by
# (tool, domain): returning a docked vacuum to its base only sets it "returning".
# Not _REACHED read the other way: after an action a device may still be on its way
# ("locking", "opening"), and an "open" cover or valve may be partly open, so only a
# settled end state makes an action needless; vacuums must reach no state but have
# states in which an action does nothing.
_ALREADY: Mapping[tuple[str, str], frozenset[str]] = {
    ("HassVacuumReturnToBase", "vacuum"): frozenset({"docked", "returning"}),
    ("HassVacuumStart", "vacuum"): frozenset({"cleaning"}),
    ("HassTurnOn", "lock"): frozenset({"locked"}),
    ("HassTurnOff", "lock"): frozenset({"unlocked"}),
    **{("HassTurnOn", domain): _ON for domain in ("switch", "fan", "input_boolean")},
    **{("HassTurnOff", domain): _OFF for domain in ("light", "switch", "fan", "input_boolean")},
}


def already_done(tool: str, entity: EntityInfo) -> bool:
    """Whether the device is already where `tool` would take it (nothing to run)."""
    return entity.state in _ALREADY.get((tool, entity.domain), frozenset())

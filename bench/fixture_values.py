"""Values of fixture entries as other people write them, read into what the home shows.

- Enum names: `cover.CoverDeviceClass.GARAGE` is `"garage"`, `vacuum.VacuumEntityFeature.START`
  is its flag number; flags joined with `|` (or listed under `supported_features`) add up.
  They are looked up in Home Assistant's own enums (imported on first use), so a typo is
  an error, never a silent string.
- Entities without a `state`: a thermostat's mode in `hvac_mode`, a sensor's `native_value`
  (with `native_unit_of_measurement`), a switch-like `is_on`, a lock's `is_locked`, a
  cover's `is_closed`.
- Legacy states: a vacuum `on` is cleaning and `off` is idle, as Home Assistant's
  toggle-style vacuums were read (on meant cleaning).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from enum import Enum, IntFlag
from typing import Any

ENUM_NAME = re.compile(r"^([a-z_]+)\.([A-Z][A-Za-z]*)\.([A-Z0-9_]+)$")
LEGACY_STATES: Mapping[str, Mapping[str, str]] = {
    "vacuum": {"on": "cleaning", "off": "idle"},
}
# The attribute that stands for the state of an entity given without one, by domain.
STATE_ATTRIBUTES: Mapping[str, str] = {
    "climate": "hvac_mode",
    "sensor": "native_value",
    "water_heater": "operation_mode",
    "vacuum": "activity",
}
BOOLEAN_STATES: Mapping[str, tuple[str, str, str]] = {
    # attribute, state when true, state when false
    "lock": ("is_locked", "locked", "unlocked"),
    "cover": ("is_closed", "closed", "open"),
    "valve": ("is_closed", "closed", "open"),
}
RENAMED_ATTRIBUTES: Mapping[str, str] = {
    "native_unit_of_measurement": "unit_of_measurement",
    "target_temperature": "temperature",
}


class FixtureValueError(Exception):
    """A value the fixtures give cannot be read; the message says which and why."""


def state_text(value: Any) -> str:
    """YAML reads `on`/`off` as booleans; states are strings."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _enum_member(text: str) -> Enum | None:
    match = ENUM_NAME.match(text)
    if match is None:
        return None
    domain, class_name, member = match.groups()
    package = f"homeassistant.components.{domain}"
    for module_name in (package, f"{package}.const"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        enum_class = getattr(module, class_name, None)
        if isinstance(enum_class, type) and issubclass(enum_class, Enum):
            try:
                return enum_class[member]
            except KeyError:
                raise FixtureValueError(f"{text!r}: {class_name} has no member {member}") from None
    raise FixtureValueError(f"{text!r}: no enum {class_name} in Home Assistant's {domain}")


def _flags(parts: list[Any]) -> int | None:
    members = [_enum_member(part.strip()) if isinstance(part, str) else None for part in parts]
    flags = [member for member in members if isinstance(member, IntFlag)]
    if not members or len(flags) != len(members):
        return None
    total = 0
    for flag in flags:
        total |= int(flag)
    return total


def _read_text(value: str) -> Any:
    if "|" in value and (flags := _flags(value.split("|"))) is not None:
        return flags
    member = _enum_member(value.strip())
    if member is None:
        return value
    return int(member) if isinstance(member, IntFlag) else member.value


def read_value(value: Any) -> Any:
    """One attribute value with enum names replaced by what Home Assistant stores."""
    if isinstance(value, str):
        return _read_text(value)
    if isinstance(value, list):
        if (flags := _flags(value)) is not None:
            return flags
        return [read_value(item) for item in value]
    if isinstance(value, Mapping):
        return {key: read_value(item) for key, item in value.items()}
    return value


def read_attributes(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Attributes with enum names read and HA's entity-side names as state attributes."""
    return {RENAMED_ATTRIBUTES.get(key, key): read_value(v) for key, v in attributes.items()}


def entity_state(domain: str, given: Any, attributes: Mapping[str, Any]) -> str:
    """The state of an entity: `given`, else what its attributes say; legacy names mapped."""
    if given is None:
        given = _state_from_attributes(domain, attributes)
    state = state_text(read_value(given))
    return LEGACY_STATES.get(domain, {}).get(state, state)


def _state_from_attributes(domain: str, attributes: Mapping[str, Any]) -> Any:
    if (key := STATE_ATTRIBUTES.get(domain)) is not None and attributes.get(key) is not None:
        return attributes[key]
    if domain in BOOLEAN_STATES:
        key, true_state, false_state = BOOLEAN_STATES[domain]
        if key in attributes:
            return true_state if attributes[key] else false_state
    if "is_on" in attributes:
        return bool(attributes["is_on"])
    return "unknown"

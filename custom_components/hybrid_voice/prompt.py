"""The think path's prompt: a byte-stable prefix and a small per-turn message.

The prefix (system prompt, then the tool list the server renders after it) is
identical from one turn to the next while the home does not change, so llama.cpp
keeps it in its KV cache and only evaluates the new turn. Everything that changes
per turn (the time, the states of the devices that matter, the utterance) goes into
the last user message.

Plain Python (no Home Assistant import) so it is tested directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .entity_selection import EntityInfo, describe, stable_order

LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "nb": "Norwegian",
}

RULES = """\
You control a smart home with the tools.
- To change devices, call a tool. Use a device name exactly as listed,
  or an area name with a domain.
- Brightness, volume and position are percentages from 0 to 100.
  "Brighter", "dimmer", "louder", "quieter": change the current value by 20.
  "Warmer", "cooler": change the target temperature by 1 degree.
- "Current states" in the request tell you how the devices are now.
  Answer questions about the home from them.
- If nothing can do what is asked, say so in one sentence. Do not invent devices.
- Reply in {language}, in one short sentence, plain text."""

# Device attributes worth reading out, with the unit to show.
SHOWN_ATTRIBUTES = {
    "brightness_pct": "brightness {}%",
    "current_position": "position {}%",
    "percentage": "speed {}%",
    "volume_pct": "volume {}%",
    "temperature": "target {}°",
    "current_temperature": "currently {}°",
    "hvac_mode": "mode {}",
    "media_title": "playing {}",
    "unit_of_measurement": "unit {}",
    "items": "items: {}",
}


def language_name(language: str) -> str:
    """`en-GB` -> `English`; unknown codes are kept as they are."""
    return LANGUAGE_NAMES.get(language.split("-")[0].lower(), language)


def build_system_prompt(
    persona: str,
    language: str,
    listed: Sequence[EntityInfo] | None,
    areas: Sequence[str],
) -> str:
    """The stable prefix. `listed` is every device when the home fits the budget, or
    None when only the relevant devices go into each turn."""
    parts = [persona.strip(), RULES.format(language=language_name(language))]
    if areas:
        parts.append("Areas: " + ", ".join(sorted(areas, key=str.lower)) + ".")
    if listed is None:
        parts.append("The devices that matter for a request are listed in the request.")
    elif listed:
        lines = "\n".join(describe(entity) for entity in stable_order(listed))
        parts.append("Devices:\n" + lines)
    else:
        parts.append("No devices are exposed to you.")
    return "\n\n".join(part for part in parts if part)


def state_line(entity: EntityInfo) -> str:
    """`- Kitchen Light: on, brightness 40%`."""
    details = [entity.state or "unknown"]
    for key, value in entity.attributes:
        if (shown := SHOWN_ATTRIBUTES.get(key)) is not None and value not in ("", "None"):
            details.append(shown.format(value))
    return f"- {entity.name}: {', '.join(details)}"


def build_turn_message(
    utterance: str,
    relevant: Sequence[EntityInfo],
    clock: str,
    describe_devices: bool,
) -> str:
    """The last user message: context that changes per turn, then the request.

    `describe_devices` also names domain and area of each relevant device, for homes
    whose devices are not all listed in the prefix."""
    parts: list[str] = []
    if relevant:
        if describe_devices:
            parts.append("Devices:\n" + "\n".join(describe(entity) for entity in relevant))
        parts.append("Current states:\n" + "\n".join(state_line(entity) for entity in relevant))
    parts.append(f"Time: {clock}")
    parts.append(f"Request: {utterance.strip()}")
    return "\n".join(parts)


# Arguments a small model only gets wrong: targets are a name, an area and a domain.
DROPPED_ARGUMENTS = frozenset({"floor", "device_class", "preferred_area_id", "preferred_floor_id"})


def tool_spec(
    name: str, description: str | None, parameters: dict[str, Any], domains: Sequence[str]
) -> dict[str, Any]:
    """An OpenAI tool entry with a schema a small model fills in reliably: fewer
    arguments, and `domain` one of the home's domains (the grammar enforces it)."""
    properties = {
        key: value
        for key, value in parameters.get("properties", {}).items()
        if key not in DROPPED_ARGUMENTS
    }
    if "domain" in properties and domains:
        properties["domain"] = {"type": "string", "enum": sorted(domains)}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required := [key for key in parameters.get("required", []) if key in properties]:
        schema["required"] = required
    function: dict[str, Any] = {"name": name, "parameters": schema}
    if description:
        function["description"] = description.strip().splitlines()[0]
    return {"type": "function", "function": function}

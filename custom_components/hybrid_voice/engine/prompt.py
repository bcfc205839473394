"""The think path's prompt: a byte-stable prefix and a small per-turn message.

The prefix (system prompt with the verbs and the devices, then a few worked examples)
is identical from one turn to the next while the home does not change, so llama.cpp
keeps it in its KV cache and only evaluates the new turn. Everything that changes per
turn (the states of the devices that matter, the time, the utterance) goes into the
last user message.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from .actions import actions_for
from .home_model import EntityInfo, ExposedHome
from .selection import describe, fits_budget, stable_order

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
You control a smart home. Reply with JSON only, one of:
["VERB DEVICE", "VERB DEVICE VALUE"] to change devices (one entry per device, a value
only for verbs that take one);
{{"answer":TEXT}} to answer a question, or to say that nothing here can do what was asked.
- Use device names exactly as listed, and only verbs their kind of device has.
- Values: brightness, position and volume in percent (0-100), temperature in degrees;
  "to 30 percent" is 30. A change without an amount is a verb without a value:
  "brighter", "too dark" -> brighter; "dim", "too bright" -> dimmer; "turn it up", "too
  quiet" -> louder; "turn it down", "too loud" -> quieter; warmer; cooler. A change by
  an amount has a sign: "two degrees cooler" is set_temperature -2.
- "Current states" in the request say how the devices are now: answer questions from them.
- Only act on devices the request is about. Never invent devices.
- Answers: {language}, one short sentence."""

# Worked examples for a different home, in exactly the form of real turns.
EXAMPLES = (
    (
        "Current states:\n- Desk Lamp: off\nRequest: switch on the desk lamp",
        '["turn_on Desk Lamp"]',
    ),
    (
        "Current states:\n- Hall Light: on, brightness 60%\n- Patio Blinds: open\n"
        "Request: dim the hall light a bit and close the patio blinds",
        '["dimmer Hall Light","close Patio Blinds"]',
    ),
    (
        "Current states:\n- Desk Lamp: on, brightness 80%\nRequest: dim the desk lamp to 25%",
        '["set_brightness Desk Lamp 25"]',
    ),
    (
        "Current states:\n- Shed Door: closed\n- Shed Light: off\nRequest: open the shed",
        '["open Shed Door"]',
    ),
    (
        "Current states:\n- Back Door: unlocked\nRequest: is the back door locked?",
        '{"answer":"No, the back door is unlocked."}',
    ),
    (
        "Current states:\n- Shed Light: on\n- Shed Door: closed\nRequest: is the shed open?",
        '{"answer":"No, the shed door is closed."}',
    ),
    (
        "Current states:\n- Hall Thermostat: heat, target 20°, currently 19°\n"
        "Request: make it a bit warmer in the hall",
        '["warmer Hall Thermostat"]',
    ),
    (
        "Current states:\n- Den Speaker: playing, volume 30%\n"
        "Request: the den speaker is too quiet",
        '["louder Den Speaker"]',
    ),
    (
        "Current states:\n- Study Lamp: on, brightness 30%\nRequest: it's too dark in the study",
        '["brighter Study Lamp"]',
    ),
    (
        "Current states:\n- Chores: to do: feed the cat; water the plants\n"
        "Request: I fed the cat, tick it off the chores",
        '["complete_item Chores feed the cat"]',
    ),
    (
        "Current states:\n- Dinner Time: a script you can run\nRequest: it's dinner time",
        '["run Dinner Time"]',
    ),
    (
        "Current states:\n- Desk Lamp: off\nRequest: turn on the jacuzzi",
        '{"answer":"There is no jacuzzi here."}',
    ),
)

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
}


# Values that only repeat the state before them ("off, speed 0%"): each token of a turn
# costs prompt time.
_SAID_BY_STATE = {
    "off": frozenset({"percentage", "brightness_pct"}),
    "closed": frozenset({"current_position"}),
}

# Scripts and scenes are things to run, whatever their state says.
_RUNNABLE = {"script": "a script you can run", "scene": "a scene you can activate"}


def language_name(language: str) -> str:
    """`en-GB` -> `English`; unknown codes are kept as they are."""
    return LANGUAGE_NAMES.get(language.split("-")[0].lower(), language)


def verb_lines(domains: Collection[str], tools: Collection[str]) -> list[str]:
    """`- light: turn_on, turn_off, set_brightness (value 0-100 %)` per kind of device."""
    lines = []
    for domain in sorted(domains):
        verbs = [
            f"{action.verb} (value: {action.hint})" if action.takes_value else action.verb
            for action in actions_for(domain, tools)
        ]
        if verbs:
            lines.append(f"- {domain}: {', '.join(verbs)}")
    return lines


def build_system_prompt(
    persona: str,
    language: str,
    listed: Sequence[EntityInfo] | None,
    areas: Sequence[str],
    tools: Collection[str],
    domains: Collection[str],
) -> str:
    """The stable prefix.

    `listed` is every device when the home fits the budget, or None when only the relevant
    devices go into each turn.
    """
    parts = [persona.strip(), RULES.format(language=language_name(language))]
    if verbs := verb_lines(domains, tools):
        parts.append("Verbs by kind of device:\n" + "\n".join(verbs))
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


def prefix_messages(
    persona: str,
    language: str,
    home: ExposedHome,
    tools: Collection[str],
    entity_budget: int,
) -> tuple[list[dict[str, Any]], bool]:
    """The stable prefix as messages.

    The stable prefix as messages (system prompt, then the worked examples), and
    whether every device is listed in it (the home fits `entity_budget` tokens).
    """
    entities = home.entities
    listed = entities if fits_budget(entities, entity_budget) else None
    domains = {entity.domain for entity in entities if actions_for(entity.domain, tools)}
    system = build_system_prompt(persona, language, listed, home.areas, tools, domains)
    return [{"role": "system", "content": system}, *example_messages()], listed is not None


def warm_up_messages(prefix: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A request that makes the server read (and cache) `prefix`, with a short turn."""
    return [*prefix, {"role": "user", "content": "Request: hello"}]


def example_messages() -> list[dict[str, Any]]:
    """The worked examples as earlier turns of the conversation (part of the prefix)."""
    messages: list[dict[str, Any]] = []
    for request, reply in EXAMPLES:
        messages.append({"role": "user", "content": request})
        messages.append({"role": "assistant", "content": reply})
    return messages


def state_line(entity: EntityInfo) -> str:
    """`- Kitchen Light: on, brightness 40%`; `- Shopping List: to do: eggs; bread`."""
    if entity.items:
        return f"- {entity.name}: to do: {'; '.join(entity.items)}"
    if entity.domain in _RUNNABLE:
        return f"- {entity.name}: {_RUNNABLE[entity.domain]}"
    details = [entity.state or "unknown"]
    repeated = _SAID_BY_STATE.get(entity.state, frozenset())
    for key, value in entity.attributes:
        if key in repeated and str(value) in ("0", "0.0"):
            continue
        if (shown := SHOWN_ATTRIBUTES.get(key)) is not None and value not in ("", "None"):
            details.append(shown.format(value))
    return f"- {entity.name}: {', '.join(details)}"


def build_turn_message(utterance: str, relevant: Sequence[EntityInfo], floor: str = "") -> str:
    """The last user message: the states of the relevant devices, then the request.

    The states are written as in the worked examples, also in a home too big to list
    in the prefix: a kind and area on each line costs prompt time (about 20 ms a token
    on a 2-core CPU with the 1.5B model) and makes a small model answer instead of act;
    the grammar already offers only the verbs each device has. `floor` is the floor
    the request names, whose devices `relevant` are ("turn off the top floor").
    """
    parts: list[str] = []
    if relevant:
        where = f" on {floor}" if floor else ""
        states = "\n".join(state_line(entity) for entity in relevant)
        parts.append(f"Current states{where}:\n{states}")
    parts.append(f"Request: {utterance.strip()}")
    return "\n".join(parts)

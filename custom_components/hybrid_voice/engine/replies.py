"""What the agent says when it speaks for itself: confirmations of actions it ran
without asking the model to phrase them, and the short "I couldn't do that" answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .home_model import ToolCallRecord

FAILURE_PREFIX = "I couldn't do that: "

# (tool, domain) -> verb; domain None is the tool's default.
_VERBS: dict[tuple[str, str | None], str] = {
    ("HassTurnOn", None): "Turned on",
    ("HassTurnOn", "cover"): "Opened",
    ("HassTurnOn", "valve"): "Opened",
    ("HassTurnOn", "lock"): "Locked",
    ("HassTurnOn", "script"): "Ran",
    ("HassTurnOn", "scene"): "Activated",
    ("HassTurnOff", None): "Turned off",
    ("HassTurnOff", "cover"): "Closed",
    ("HassTurnOff", "valve"): "Closed",
    ("HassTurnOff", "lock"): "Unlocked",
    ("HassLightSet", None): "Set",
    ("HassSetPosition", None): "Moved",
    ("HassFanSetSpeed", None): "Set",
    ("HassClimateSetTemperature", None): "Set",
    ("HassMediaPause", None): "Paused",
    ("HassMediaUnpause", None): "Resumed",
    ("HassMediaNext", None): "Skipped on",
    ("HassMediaPrevious", None): "Went back on",
    ("HassSetVolume", None): "Set the volume of",
    ("HassVacuumStart", None): "Started",
    ("HassVacuumReturnToBase", None): "Sent back to the dock:",
}

# Arguments worth repeating in the confirmation, with how to say them.
_DETAILS = {
    "brightness": "to {}% brightness",
    "position": "to {}%",
    "percentage": "to {}%",
    "volume_level": "to {}%",
    "temperature": "to {}°",
    "color": "to {}",
}


def failure(reason: str) -> str:
    """`I couldn't do that: there is no device called 'attic fan'.`"""
    reason = reason.strip().rstrip(".") or "something went wrong"
    return f"{FAILURE_PREFIX}{reason}."


# Home Assistant's target-matching failures arrive as the repr of the exception.
_MATCH_REASON = re.compile(r"no_match_reason=<MatchFailedReason\.(\w+)")
_MATCH_WORDS = {
    "NAME": "no device has that name",
    "AREA": "no such device in that area",
    "FLOOR": "no such device on that floor",
    "DOMAIN": "no device of that kind",
    "DEVICE_CLASS": "no device of that kind",
    "FEATURE": "that device cannot do that",
    "STATE": "that device is not in a state where it can do that",
    "ASSISTANT": "that device is not exposed to the assistant",
    "INVALID_AREA": "there is no such area",
    "INVALID_FLOOR": "there is no such floor",
    "DUPLICATE_NAME": "more than one device has that name",
    "MULTIPLE_TARGETS": "more than one device matches; name one",
}


def plain_error(text: str) -> str:
    """An error for people: matching failures in words, never an exception's repr."""
    if (match := _MATCH_REASON.search(text)) is not None:
        return _MATCH_WORDS.get(match.group(1), "no device matched")
    if text.startswith("<"):
        return "the action failed"
    return text


def tool_error(result: Mapping[str, Any]) -> str | None:
    """Why a tool result is a failure, or None when it succeeded."""
    if "error" in result:
        return plain_error(str(result.get("error_text") or result["error"]))
    if result.get("response_type") == "error":
        data = result.get("data") or {}
        return str(data.get("code") or "the action failed")
    data = result.get("data")
    if isinstance(data, Mapping) and (failed := data.get("failed")):
        names = ", ".join(str(item.get("name", item.get("id"))) for item in failed)
        return f"{names} did not respond"
    return None


def _names(result: Mapping[str, Any]) -> tuple[list[str], str | None]:
    data = result.get("data")
    success = data.get("success") if isinstance(data, Mapping) else None
    if not success:
        return [], None
    # Intent results list the area or device they matched as well as the entities.
    entities = [item for item in success if item.get("type", "entity") == "entity"]
    success = entities or success
    names = [str(item.get("name") or item.get("id")) for item in success]
    domains = {str(item.get("id", "")).partition(".")[0] for item in success}
    return names, domains.pop() if len(domains) == 1 else None


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def confirmation(calls: Sequence[ToolCallRecord]) -> str:
    """One sentence per successful call: `Turned on Kitchen Light.`; or `Done.` when a
    call does not say what it changed."""
    sentences: list[str] = []
    for call in calls:
        tool, args, result = call.tool, call.args, call.result
        if isinstance(result.get("speech"), Mapping):
            spoken = result["speech"].get("plain", {}).get("speech")
            if spoken:
                sentences.append(str(spoken))
                continue
        names, domain = _names(result)
        verb = _VERBS.get((tool, domain)) or _VERBS.get((tool, None))
        if verb is None or not names:
            sentences.append("Done.")
            continue
        details = [template.format(args[key]) for key, template in _DETAILS.items() if key in args]
        sentences.append(" ".join([verb, _join(names), *details]) + ".")
    unique = list(dict.fromkeys(sentences))
    return " ".join(unique) if unique else "Done."

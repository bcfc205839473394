"""Devices and Home Assistant tool tables shared by the tests of the pure core."""

from __future__ import annotations

from typing import Any, Literal

from custom_components.hybrid_voice.engine.home_model import EntityInfo

KITCHEN = EntityInfo(
    "light.kitchen_light",
    "Kitchen Light",
    "light",
    "Kitchen",
    state="on",
    attributes=(("brightness_pct", "40"),),
)
GARAGE = EntityInfo("cover.garage_door", "Garage Door", "cover", "Garage", ("Big Door",), "open")


def tool_table(domain: Literal["array", "string"]) -> dict[str, dict[str, Any]]:
    """The argument schemas of the tools the tests offer, by tool name.

    `domain` is an array (as Home Assistant's Assist API has it) or a plain string.
    """
    name = {"name": {"type": "string"}}
    kind = (
        {"type": "array", "items": {"type": "string"}} if domain == "array" else {"type": "string"}
    )
    target = {**name, "domain": kind}
    return {
        "HassTurnOn": target,
        "HassTurnOff": target,
        "HassLightSet": {**name, "brightness": {"type": "integer"}},
        "HassSetPosition": {**target, "position": {"type": "integer"}},
        "HassSetVolume": {**name, "volume_level": {"type": "integer"}},
        "HassClimateSetTemperature": {**name, "temperature": {"type": "number"}},
        "HassListCompleteItem": {**name, "item": {"type": "string"}},
    }

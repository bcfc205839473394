"""A question about one sensor, answered with its reading.

"Is the soil dry?" is answered "Soil Moisture is 23%." from the state, not by the model:
a small model shown the reading still answers with a judgement ("No, the soil is not
dry.") that leaves the number out, or gets it wrong. Only a question that points at one
sensor and names no other kind of device is answered this way.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from .home_model import EntityInfo
from .lexicon import ReplyPhrases


def asked_sensor(about: Sequence[EntityInfo], kinds: Collection[str]) -> EntityInfo | None:
    """The one sensor a question is about, or None."""
    # "Warm" and "temperature" are words of thermostats too: one shown decides.
    if set(kinds) - {"sensor", "climate"}:
        return None
    if any(entity.domain in ("binary_sensor", "climate") for entity in about):
        return None
    sensors = [entity for entity in about if entity.domain == "sensor"]
    return sensors[0] if len(sensors) == 1 else None


def reading(entity: EntityInfo, phrases: ReplyPhrases) -> str:
    """`Soil Moisture is 23%.`: the sensor's state with its unit."""
    unit = dict(entity.attributes).get("unit_of_measurement", "")
    joined = "" if not unit or unit.startswith(("%", "°")) else " "
    value = f"{entity.state or 'unknown'}{joined}{unit}"
    return phrases.reasons["reading"].format(name=entity.name, value=value)

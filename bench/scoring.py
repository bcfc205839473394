"""Whether a sentence did what it should: expected changes vs observed states.

A sentence passes when every expected state and attribute is there afterwards and no
other entity of the home changed (state or attributes, bookkeeping attributes aside),
and, for questions, when the answer says one of the expected words.

Plain Python, no Home Assistant import.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.assist_dataset import StateSpec

# Attributes that change on every run without meaning anything to the user.
IGNORED_ATTRIBUTES = frozenset(
    {"last_triggered", "current", "friendly_name", "restored", "supported_features"}
)
# Numbers within this fraction (or 0.01) match: "50%" is brightness 127 or 128.
RELATIVE_TOLERANCE = 0.015
# Answers that only report a failure never count as answering a question.
REFUSAL_PREFIX = "I couldn't do that"
# The problem text of an entity that changed without being asked to.
UNASKED_CHANGE = "changed unexpectedly"

type Snapshot = Mapping[str, tuple[str, Mapping[str, Any]]]


@dataclass
class Verdict:
    """Whether a sentence passed, and why not."""

    passed: bool
    problems: list[str] = field(default_factory=list)


def plain(value: Any) -> Any:
    """Tuples as lists, recursively, so snapshots compare like YAML values."""
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    return value


def snapshot_entry(state: str, attributes: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """One entity's state and the attributes that are scored."""
    return state, {k: plain(v) for k, v in attributes.items() if k not in IGNORED_ATTRIBUTES}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def matches(expected: Any, observed: Any) -> bool:  # noqa: PLR0911  (one return per kind)
    """Whether an observed value satisfies an expected one from the dataset."""
    if isinstance(expected, Mapping) and set(expected) <= {"min", "max"} and expected:
        number = _number(observed)
        return (
            number is not None
            and number >= float(expected.get("min", -math.inf))
            and number <= float(expected.get("max", math.inf))
        )
    if isinstance(expected, list):
        if not isinstance(observed, list) or len(expected) != len(observed):
            return False
        if all(isinstance(item, str) for item in expected + observed):
            return sorted(map(str.casefold, expected)) == sorted(map(str.casefold, observed))
        return all(matches(e, o) for e, o in zip(expected, observed, strict=True))
    want, got = _number(expected), _number(observed)
    if want is not None and got is not None and not isinstance(expected, str):
        return abs(want - got) <= max(0.01, RELATIVE_TOLERANCE * abs(want))
    if isinstance(expected, str) and isinstance(observed, str):
        return expected.casefold() == observed.casefold()
    return bool(expected == observed)


def _without(
    entry: tuple[str, Mapping[str, Any]] | None, ignored: frozenset[str]
) -> tuple[str, Mapping[str, Any]] | None:
    """An entry with the ignored attributes (and `state`, if named) left out."""
    if entry is None or not ignored:
        return entry
    state = "" if "state" in ignored else entry[0]
    return state, {key: value for key, value in entry[1].items() if key not in ignored}


def score(
    before: Snapshot,
    after: Snapshot,
    expected: Mapping[str, StateSpec],
    ignored: Mapping[str, frozenset[str]] | None = None,
) -> Verdict:
    """Compare the home before and after one sentence with what the dataset expects.

    `ignored` names, per entity, the attributes (or `state`) not to look at.
    """
    verdict = Verdict(passed=True)
    for entity_id in sorted(set(before) | set(after)):
        skip = (ignored or {}).get(entity_id, frozenset())
        old = _without(before.get(entity_id), skip)
        new = _without(after.get(entity_id), skip)
        if new is None:
            verdict.problems.append(f"{entity_id} disappeared")
            continue
        state, attributes = new
        spec = expected.get(entity_id)
        if spec is None:
            if old is not None and old != new:
                verdict.problems.append(f"{entity_id} {UNASKED_CHANGE}: {_change(old, new)}")
            continue
        if spec.state is not None and "state" not in skip and not matches(spec.state, state):
            verdict.problems.append(f"{entity_id}: state {state!r}, expected {spec.state!r}")
        for key, want in spec.attributes.items():
            if key in skip:
                continue
            got = attributes.get(key)
            if not matches(plain(want), got):
                verdict.problems.append(f"{entity_id}: {key} {got!r}, expected {want!r}")
    verdict.passed = not verdict.problems
    return verdict


def _change(old: tuple[str, Mapping[str, Any]], new: tuple[str, Mapping[str, Any]]) -> str:
    parts = [f"state {old[0]!r} -> {new[0]!r}"] if old[0] != new[0] else []
    for key in sorted(set(old[1]) | set(new[1])):
        if old[1].get(key) != new[1].get(key):
            parts.append(f"{key} {old[1].get(key)!r} -> {new[1].get(key)!r}")
    return ", ".join(parts)


def answer_mentions(speech: str, alternatives: Sequence[str]) -> bool:
    """At least one alternative, as whole words, in an answer that is not a refusal."""
    if not alternatives:
        return True
    if speech.strip().startswith(REFUSAL_PREFIX):
        return False
    text = " ".join(speech.casefold().replace("\u2019", "'").split())
    return any(
        re.search(rf"(?<!\w){re.escape(' '.join(alt.casefold().split()))}(?!\w)", text)
        for alt in alternatives
    )

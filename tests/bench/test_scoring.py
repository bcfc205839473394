"""Scoring: expected changes against what really changed, and answers to questions."""

from __future__ import annotations

from typing import Any

import pytest

from bench.assist_dataset import StateSpec
from bench.scoring import answer_mentions, matches, score, snapshot_entry

HOME: dict[str, tuple[str, dict[str, Any]]] = {
    "light.kitchen": ("off", {"brightness": None}),
    "light.hall": ("on", {"brightness": 128, "rgb_color": [255, 255, 255]}),
    "lock.front": ("locked", {}),
}


def _after(**changes: tuple[str, dict[str, Any]]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {**HOME, **{key.replace("__", "."): value for key, value in changes.items()}}


def test_the_expected_change_alone_passes() -> None:
    after = _after(light__kitchen=("on", {"brightness": 255}))
    assert score(HOME, after, {"light.kitchen": StateSpec("on")}).passed


def test_a_missing_change_fails_and_says_what_was_seen() -> None:
    verdict = score(HOME, HOME, {"light.kitchen": StateSpec("on")})
    assert not verdict.passed
    assert verdict.problems == ["light.kitchen: state 'off', expected 'on'"]


def test_any_other_change_fails_even_when_the_expected_one_happened() -> None:
    after = _after(light__kitchen=("on", {}), lock__front=("unlocked", {}))
    verdict = score(HOME, after, {"light.kitchen": StateSpec("on")})
    assert not verdict.passed
    assert verdict.problems == ["lock.front changed unexpectedly: state 'locked' -> 'unlocked'"]


def test_a_sentence_that_must_change_nothing_fails_on_an_attribute_change() -> None:
    after = _after(light__hall=("on", {"brightness": 200, "rgb_color": [255, 255, 255]}))
    verdict = score(HOME, after, {})
    assert verdict.problems == ["light.hall changed unexpectedly: brightness 128 -> 200"]
    assert score(HOME, HOME, {}).passed


def test_expected_attributes_are_checked_with_a_small_tolerance() -> None:
    after = _after(light__hall=("on", {"brightness": 127, "rgb_color": [255, 0, 0]}))
    spec = StateSpec("on", {"brightness": 128, "rgb_color": [255, 0, 0]})
    assert score(HOME, after, {"light.hall": spec}).passed
    spec = StateSpec("on", {"brightness": 150})
    assert score(HOME, after, {"light.hall": spec}).problems == [
        "light.hall: brightness 127, expected 150"
    ]


@pytest.mark.parametrize(
    ("expected", "observed", "result"),
    [
        ({"min": 140}, 180, True),
        ({"min": 140}, 128, False),
        ({"min": 0.35, "max": 0.8}, 0.5, True),
        ({"min": 0.35, "max": 0.8}, None, False),
        (22, 22.0, True),
        (22, 23, False),
        (0.5, 0.5, True),
        ("Playing", "playing", True),
        (["milk", "eggs"], ["Eggs", "milk"], True),
        (["milk"], ["milk", "eggs"], False),
        ([255, 0, 0], [255, 0, 0], True),
        ("3", "3", True),
        (True, "on", False),
    ],
)
def test_matching_values(expected: Any, observed: Any, result: bool) -> None:
    assert matches(expected, observed) is result


def test_snapshots_drop_bookkeeping_attributes_and_read_tuples_as_lists() -> None:
    state, attributes = snapshot_entry(
        "off", {"last_triggered": "2026-01-01", "friendly_name": "X", "rgb_color": (1, 2, 3)}
    )
    assert (state, attributes) == ("off", {"rgb_color": [1, 2, 3]})


@pytest.mark.parametrize(
    ("speech", "alternatives", "result"),
    [
        ("No, the garage door is closed.", ["closed", "not open"], True),
        ("The garage door isn't open", ["not open", "isn't open"], True),
        ("It is 18.5 °C in the bedroom.", ["18.5"], True),
        ("It is 185 degrees", ["18.5"], False),
        ("Nothing is enclosed", ["closed"], False),
        ("I couldn't do that: there is no device called 'closed door'.", ["closed"], False),
        ("Anything", [], True),
    ],
)
def test_answers_must_mention_an_alternative_as_whole_words(
    speech: str, alternatives: list[str], result: bool
) -> None:
    assert answer_mentions(speech, alternatives) is result

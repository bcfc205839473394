"""Which devices of a kind are in a state: answered from the states, not by the model."""

from __future__ import annotations

from custom_components.hybrid_voice.engine.home_model import EntityInfo
from custom_components.hybrid_voice.engine.replies import phrases_for
from custom_components.hybrid_voice.engine.states_asked import asked_states, states_answer

PHRASES = phrases_for("en")
HOME = [
    EntityInfo("light.ceiling", "Ceiling Light", "light", "Living Room", state="on"),
    EntityInfo("light.desk", "Desk Lamp", "light", "Office", state="on"),
    EntityInfo("light.annex", "Annex Lights", "light", "Annex Barn", state="off"),
    EntityInfo("lock.front", "Front Door", "lock", "Hall", state="unlocked"),
    EntityInfo("lock.back", "Back Door", "lock", "Kitchen", state="locked"),
    EntityInfo("binary_sensor.bath", "Bathroom Window", "binary_sensor", "Bathroom", state="open"),
    EntityInfo("media_player.tv", "TV", "media_player", "Living Room", state="playing"),
]


def answer(question: str, place: list[EntityInfo] | None = None) -> str | None:
    asked = asked_states(question, HOME, place)
    return states_answer(*asked, PHRASES) if asked else None


def test_every_device_of_the_kind_in_the_state_is_named() -> None:
    # The lights on, not the lights whose names say "lights".
    assert answer("what lights are on right now") == "Ceiling Light and Desk Lamp are on."
    assert answer("which windows are open?") == "Bathroom Window is open."
    # A door is a door by its name, whatever its kind.
    assert answer("which doors are locked") == "Back Door is locked."


def test_a_named_room_or_the_place_given_narrows_the_answer() -> None:
    assert answer("which lights are on in the office") == "Desk Lamp is on."
    assert answer("which lights are on", place=[HOME[0]]) == "Ceiling Light is on."


def test_none_in_the_state_is_said_so() -> None:
    assert answer("which lights are off in the office") == "No lights are off."


def test_other_questions_are_left_to_the_model() -> None:
    assert answer("what's on the tv") is None  # no kind after "what"
    assert answer("what is the temperature") is None
    assert answer("which lights are on or off") is None  # two states
    assert answer("which fans are on") is None  # no fan in the home

"""Requests as real homes make them.

Floors, the satellite's room, a phrase for one device that fits several (asked, never
guessed), sensors in words, honest answers.
"""

from __future__ import annotations

from custom_components.hybrid_voice.engine.home_model import EntityInfo
from custom_components.hybrid_voice.engine.places import (
    choice_question,
    choices_asked,
    completed_request,
    narrow,
)

HOME = [
    EntityInfo("light.kitchen", "Kitchen Light", "light", "Kitchen", floor="Ground Floor"),
    EntityInfo("light.hall", "Hall Light", "light", "Hall", floor="Ground Floor"),
    EntityInfo("light.bedroom", "Bedroom Light", "light", "Bedroom", floor="Upstairs"),
    EntityInfo("light.office", "Office Lamp", "light", "Office", floor="Upstairs"),
    EntityInfo("fan.bedroom", "Bedroom Fan", "fan", "Bedroom", floor="Upstairs"),
    EntityInfo("lock.front", "Front Door", "lock", "Hall", floor="Ground Floor"),
    EntityInfo("lock.back", "Back Door", "lock", "Kitchen", floor="Ground Floor"),
    EntityInfo("media_player.kitchen", "Kitchen Speaker", "media_player", "Kitchen"),
    EntityInfo("media_player.bedroom", "Bedroom Speaker", "media_player", "Bedroom"),
]
FLOORS = {"Ground Floor": ("downstairs",), "Upstairs": ("first floor",)}
ALL = frozenset(entity.entity_id for entity in HOME)


def _narrow(text: str, area: str | None = None, allowed: frozenset[str] = ALL) -> object:
    return narrow(HOME, allowed, frozenset(), text, FLOORS, area, question=False)


def test_a_floor_by_name_or_alias_means_its_devices_of_the_kind_said() -> None:
    upstairs = narrow(HOME, ALL, frozenset(), "turn off the upstairs lights", FLOORS, None, False)
    assert upstairs.allowed == {"light.bedroom", "light.office"}
    assert upstairs.by_place
    downstairs = narrow(HOME, ALL, frozenset(), "lights off downstairs", FLOORS, None, False)
    assert downstairs.allowed == {"light.kitchen", "light.hall"}
    fans = narrow(HOME, ALL, frozenset(), "fans off on the first floor", FLOORS, None, False)
    assert fans.allowed == {"fan.bedroom"}


def test_the_speakers_room_decides_when_the_request_names_no_place() -> None:
    players = frozenset({"media_player.kitchen", "media_player.bedroom"})
    here = narrow(HOME, players, frozenset(), "set the volume to 20%", FLOORS, "Bedroom", False)
    assert (here.allowed, here.ask) == ({"media_player.bedroom"}, ())
    nowhere = narrow(HOME, players, frozenset(), "set the volume to 20%", FLOORS, None, False)
    assert nowhere.ask == ("Bedroom Speaker", "Kitchen Speaker")
    assert nowhere.allowed == frozenset()


def test_one_door_of_two_is_asked_about_and_all_means_all() -> None:
    locks = frozenset({"lock.front", "lock.back"})
    asked = narrow(HOME, locks, frozenset(), "lock the door", FLOORS, None, False)
    assert asked.ask == ("Back Door", "Front Door")
    for text in ("lock all the doors", "lock both doors", "lock the doors"):
        assert narrow(HOME, locks, frozenset(), text, FLOORS, None, False).allowed == locks
    named = narrow(
        HOME, locks, frozenset({"lock.front"}), "lock the front door", FLOORS, None, False
    )
    assert named.ask == ()


def test_the_reply_to_the_question_completes_the_request() -> None:
    question = choice_question(["Back Door", "Front Door"])
    assert question == "Which one do you mean: Back Door or Front Door?"
    choices = choices_asked(question)
    assert choices == ["Back Door", "Front Door"]
    assert completed_request("lock the door", "the front one", choices) == (
        "lock the door: Front Door"
    )
    assert completed_request("lock the door", "both", choices) == (
        "lock the door: Back Door and Front Door"
    )
    assert completed_request("lock the door", "never mind", choices) is None
    assert choices_asked("The front door is locked.") is None

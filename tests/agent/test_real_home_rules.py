"""How real homes' requests are read: the rules behind the agent's turns.

Floors and their aliases, the satellite's room, a phrase for one device that fits
several (asked, never guessed), the reply to that question, lists and valves by the
words only one name has, "already" claims and actions opposite to the request.
"""

from __future__ import annotations

from custom_components.hybrid_voice.engine.claims import (
    false_claim,
    opposite_action,
    said_words,
)
from custom_components.hybrid_voice.engine.home_model import EntityInfo
from custom_components.hybrid_voice.engine.places import (
    choice_question,
    choices_asked,
    completed_request,
    left_to_do,
    narrow,
)
from custom_components.hybrid_voice.engine.selection import relevance, words
from tests.agent.requests import claim_reason, targets_of

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
    assert here.allowed == {"media_player.bedroom"}
    assert here.ask == ()
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


def test_a_pronoun_means_the_device_the_last_turn_was_about() -> None:
    lights = frozenset({"light.kitchen", "light.hall", "light.bedroom", "light.office"})
    last = frozenset({"light.kitchen"})
    dimmer = narrow(HOME, lights, frozenset(), "now make it dimmer", FLOORS, None, False, last)
    assert dimmer.allowed == last
    assert dimmer.ask == ()
    # Without a word that points back, the earlier turn does not decide.
    plain = narrow(HOME, lights, frozenset(), "dim the light", FLOORS, None, False, last)
    assert plain.ask == ("Bedroom Light", "Hall Light", "Kitchen Light", "Office Lamp")


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


def test_a_reply_naming_a_device_picks_it_among_longer_names() -> None:
    thermostats = ["Annex Thermostat", "Barn Downstairs Thermostat", "Thermostat"]
    assert completed_request("make it 22", "Thermostat", thermostats) == ("make it 22: Thermostat")
    assert completed_request("make it 22", "the barn one", thermostats) == (
        "make it 22: Barn Downstairs Thermostat"
    )
    tvs = ["Annex Living Room TV", "Barn Living Room TV", "Living Room TV"]
    assert completed_request("pause the tv", "Living Room TV", tvs) == (
        "pause the tv: Living Room TV"
    )
    assert completed_request("pause the tv", "the living room one", tvs) == (
        "pause the tv: Living Room TV"
    )
    assert completed_request("pause the tv", "the annex living room tv", tvs) == (
        "pause the tv: Annex Living Room TV"
    )
    assert completed_request("pause the tv", "the bedroom one", tvs) is None


def test_an_already_claim_is_checked_against_the_state_shown() -> None:
    front = EntityInfo("lock.front", "Front Door", "lock", "Hall", state="unlocked")
    vacuum = EntityInfo("vacuum.robo", "Robo", "vacuum", "Hall", state="docked")
    assert claim_reason("The front door is already locked.", [front]) == (
        "Front Door is unlocked, not locked"
    )
    assert claim_reason("Robo is already running.", [front, vacuum]) == (
        "Robo is docked, not running"
    )
    assert false_claim("The front door is already unlocked.", [front]) is None
    assert false_claim("Locked the front door.", [front]) is None


# A home as real ones are: two door locks, lights on two floors, a kitchen satellite.


def test_a_list_not_named_is_the_shopping_list_else_asked() -> None:
    lists = [
        EntityInfo("todo.chores", "Weekend Chores", "todo", aliases=("chore list",)),
        EntityInfo("todo.shop", "Groceries", "todo", aliases=("shopping list",)),
        EntityInfo("todo.family", "Family To-do", "todo"),
    ]
    ids = frozenset(entity.entity_id for entity in lists)
    added = narrow(lists, ids, frozenset(), "add bread to my list", {}, None, False)
    assert added.allowed == {"todo.shop"}
    no_shop = frozenset({"todo.chores", "todo.family"})
    todo = narrow(lists, no_shop, frozenset(), "add bread to my list", {}, None, False)
    assert todo.allowed == {"todo.family"}
    neither = [lists[0], EntityInfo("todo.feed", "Feed Store", "todo", aliases=("feed list",))]
    both = frozenset({"todo.chores", "todo.feed"})
    asked = narrow(neither, both, frozenset(), "add hay to the list", {}, None, False)
    assert asked.ask == ("Feed Store", "Weekend Chores")


def test_a_word_only_one_name_has_decides_and_an_unknown_item_still_finds_the_list() -> None:
    valves = [
        EntityInfo("valve.sprinkler", "Garden Sprinkler", "valve", "Garden"),
        EntityInfo("valve.main", "Main Water Valve", "valve", "Garage"),
    ]
    ids = frozenset(entity.entity_id for entity in valves)
    assert narrow(valves, ids, frozenset(), "shut off the main water", {}, None, False).ask == ()
    assert narrow(valves, ids, frozenset(), "shut off the water", {}, None, False).ask == (
        "Garden Sprinkler",
        "Main Water Valve",
    )
    lists = [
        EntityInfo("todo.shop", "Shopping List", "todo"),
        EntityInfo("todo.diy", "DIY", "todo", aliases=("hardware list",)),
    ]
    # Targets found nothing ("yoghurt" names nothing in the home); the list is still meant.
    found = narrow(lists, frozenset(), frozenset(), "add yoghurt to the list", {}, None, False)
    assert found.allowed == {"todo.shop"}


def test_an_action_opposite_to_the_request_is_recognised() -> None:
    said = said_words("stop the vacuum")
    assert opposite_action(said, "HassVacuumStart", "vacuum")
    assert not opposite_action(said_words("start the vacuum"), "HassVacuumStart", "vacuum")
    assert opposite_action(said_words("turn off the hall light"), "HassTurnOn", "light")
    assert not opposite_action(said_words("turn on the light off the hall"), "HassTurnOn", "light")
    assert opposite_action(said_words("close the blinds"), "HassTurnOn", "cover")
    assert opposite_action(said_words("unlock the front door"), "HassTurnOn", "lock")
    assert not opposite_action(said_words("lock the front door"), "HassTurnOn", "lock")


def test_words_of_the_same_meaning_find_the_device() -> None:
    outdoor = EntityInfo("sensor.out", "Outdoor Temperature", "sensor", "Garden", state="7")
    hall = EntityInfo("sensor.hall", "Hall Temperature", "sensor", "Hall", state="20")
    targets = targets_of([outdoor, hall], "what's the temperature outside?")
    assert targets.allowed == {"sensor.out"}


def test_a_device_of_the_class_said_ranks_above_one_of_another() -> None:
    garage = EntityInfo("cover.barn", "Barn Door", "cover", "Barn", device_class="garage")
    gate = EntityInfo("cover.gate", "Barn Door Gate", "cover", "Yard", device_class="gate")
    query = words("close all the garage doors")
    assert relevance(garage, query) > relevance(gate, query)


def test_all_the_doors_to_close_are_those_not_closed() -> None:
    shut = EntityInfo("cover.a", "Annex Garage Door", "cover", "Annex", state="closed")
    ajar = EntityInfo("cover.b", "Barn Door", "cover", "Barn", state="open")
    assert left_to_do([shut, ajar], {"close"}) == [ajar]
    assert left_to_do([shut, ajar], {"open"}) == [shut]
    assert left_to_do([shut, ajar], set()) == [shut, ajar]

"""What real homes' turns are answered and acted on with, before and after the model.

A list's items read from the list, a sensor's reading, two areas' devices of one kind
in one sentence, an action turned the way the request says, actions kept to the kinds
of device the verb fits, and "already" claims checked against the home.
"""

from __future__ import annotations

from custom_components.hybrid_voice.engine.claims import false_claim, said_words
from custom_components.hybrid_voice.engine.home_model import EntityInfo, ExposedHome
from custom_components.hybrid_voice.engine.list_contents import asked_list, list_contents
from custom_components.hybrid_voice.engine.places import narrow
from custom_components.hybrid_voice.engine.plan import Plan, ToolCall
from custom_components.hybrid_voice.engine.readings import asked_sensor, reading
from custom_components.hybrid_voice.engine.replies import phrases_for
from custom_components.hybrid_voice.engine.request import parse_request
from custom_components.hybrid_voice.engine.targets import allowed_targets
from custom_components.hybrid_voice.think.rounds import RoundJudge
from tests.agent.requests import claim_reason

PHRASES = phrases_for("en")
LISTS = [
    EntityInfo(
        "todo.shopping",
        "Groceries",
        "todo",
        aliases=("shopping list",),
        state="2",
        items=("flour", "butter"),
    ),
    EntityInfo(
        "todo.jobs",
        "Farm Jobs",
        "todo",
        aliases=("jobs list",),
        state="1",
        items=("fix the fence",),
    ),
    EntityInfo("todo.feed", "Feed Store", "todo", state="0"),
    EntityInfo("todo.diy", "DIY", "todo", aliases=("hardware list",), state="3"),
]
EVERY_LIST = frozenset(entity.entity_id for entity in LISTS)


def test_a_question_about_a_list_is_answered_with_its_items() -> None:
    jobs = asked_list(LISTS, EVERY_LIST, "what jobs are on the list?")
    assert jobs is not None
    assert jobs.entity_id == "todo.jobs"
    assert list_contents(jobs, PHRASES) == "On Farm Jobs: fix the fence."
    shopping = asked_list(LISTS, EVERY_LIST, "what's on my list")
    assert shopping is not None
    assert shopping.entity_id == "todo.shopping"
    assert list_contents(shopping, PHRASES) == "On Groceries: flour and butter."
    feed = asked_list(LISTS, EVERY_LIST, "anything on the feed store list?")
    assert feed is not None
    assert list_contents(feed, PHRASES) == "Feed Store has nothing on it."


def test_a_list_whose_items_were_not_read_or_no_list_word_leaves_it_to_the_model() -> None:
    diy = asked_list(LISTS, EVERY_LIST, "what's on the hardware list")
    assert diy is not None
    assert diy.entity_id == "todo.diy"
    assert list_contents(diy, PHRASES) is None  # three items, none read: never "nothing"
    assert asked_list(LISTS, EVERY_LIST, "what's the temperature in the kitchen") is None
    two = [LISTS[1], LISTS[2]]
    assert asked_list(two, frozenset(e.entity_id for e in two), "what's on the list") is None


HOME = ExposedHome(
    [
        EntityInfo("light.living", "Living Room Light", "light", "Living Room"),
        EntityInfo("light.reading", "Reading Lamp", "light", "Living Room"),
        EntityInfo("light.playroom", "Playroom Light", "light", "Playroom"),
        EntityInfo("light.study", "Study Light", "light", "Study"),
    ],
    ["Living Room", "Playroom", "Study"],
)


def allowed(text: str) -> set[str]:
    return set(allowed_targets(HOME.entities, parse_request(text, "en", HOME)).allowed)


def test_two_areas_and_one_named_light_mean_the_lights_of_both() -> None:
    both = allowed("turn off the living room and playroom lights")
    assert both == {"light.living", "light.reading", "light.playroom"}
    # The named light alone when no other area is said.
    assert allowed("turn off the playroom light") == {"light.playroom"}
    assert allowed("turn on the reading lamp in the living room") == {"light.reading"}


def judge(text: str) -> RoundJudge:
    return RoundJudge(PHRASES, said_words(text), {e.name: e for e in HOME.entities})


def test_an_on_action_for_a_request_that_says_only_off_is_turned() -> None:
    study, playroom = HOME.entities[3], HOME.entities[2]
    plan = Plan(
        calls=[
            ToolCall("HassTurnOff", {"name": "Study Light"}, study, "turn_off"),
            ToolCall("HassTurnOn", {"name": "Playroom Light"}, playroom, "turn_on"),
        ]
    )
    judge("turn off the top floor").turn_around(plan)
    assert [call.tool for call in plan.calls] == ["HassTurnOff", "HassTurnOff"]
    assert judge("turn off the top floor").opposite(plan) is None
    mixed = Plan(calls=[ToolCall("HassTurnOn", {"name": "Study Light"}, study, "turn_on")])
    judge("turn off the hall and on the study light").turn_around(mixed)
    assert mixed.calls[0].tool == "HassTurnOn"  # says both ways: left to the model


def test_an_already_claim_about_a_kind_of_device_is_checked_against_that_kind() -> None:
    vacuum = EntityInfo("vacuum.robo", "Robovac", "vacuum", "Hall", state="docked")
    light = EntityInfo("light.hall", "Hall Light", "light", "Hall", state="on")
    assert claim_reason("The vacuum is already running.", [light, vacuum]) == (
        "Robovac is docked, not running"
    )
    assert false_claim("The light is already on.", [light, vacuum]) is None


def test_an_open_request_acts_only_on_devices_that_open() -> None:
    door = EntityInfo("cover.garage", "Garage Door", "cover", "Garage", state="closed")
    lamp = EntityInfo("light.garage", "Garage Light", "light", "Garage", state="off")
    devices = {door.name: door, lamp.name: lamp}
    plan = Plan(
        calls=[
            ToolCall("HassTurnOn", {"name": "Garage Door"}, door, "open"),
            ToolCall("HassTurnOn", {"name": "Garage Light"}, lamp, "turn_on"),
        ]
    )
    opening = RoundJudge(PHRASES, said_words("open the garage"), devices)
    assert opening.keep_asked_kinds(plan) is None
    assert [call.entity.name for call in plan.calls] == ["Garage Door"]
    lamp_only = Plan(calls=[ToolCall("HassTurnOn", {"name": "Garage Light"}, lamp, "turn_on")])
    assert opening.keep_asked_kinds(lamp_only) == "Garage Light cannot open"
    switching = RoundJudge(PHRASES, said_words("open the garage and turn on the light"), devices)
    both = Plan(calls=list(plan.calls) + lamp_only.calls)
    assert switching.keep_asked_kinds(both) is None
    assert len(both.calls) == 2


def test_an_already_claim_about_a_device_not_shown_is_checked_against_the_home() -> None:
    vacuum = EntityInfo("vacuum.robo", "Robovac", "vacuum", "Hall", state="docked")
    light = EntityInfo("light.hall", "Hall Light", "light", "Hall", state="on")
    home = [light, vacuum]
    assert claim_reason("The vacuum is already running.", [], home) == (
        "Robovac is docked, not running"
    )
    assert false_claim("The vacuum is already docked.", [], home) is None
    two = [*home, EntityInfo("light.den", "Den Light", "light", "Den", state="off")]
    assert false_claim("The lights are already off.", [], two) is None  # one of them is


def test_joined_commands_keep_every_action() -> None:
    tv = EntityInfo("media_player.tv", "TV", "media_player", "Lounge", state="playing")
    blinds = EntityInfo("cover.blinds", "Blinds", "cover", "Lounge", state="closed")
    plan = Plan(
        calls=[
            ToolCall("HassMediaPause", {"name": "TV"}, tv, "pause"),
            ToolCall("HassTurnOn", {"name": "Blinds"}, blinds, "open"),
        ]
    )
    joined = RoundJudge(PHRASES, said_words("pause the tv and open the blinds"), {})
    assert joined.keep_asked_kinds(plan) is None
    assert len(plan.calls) == 2


def test_a_device_class_noun_is_not_an_unknown_word() -> None:
    doors = ExposedHome(
        [
            EntityInfo("cover.barn", "Barn Door", "cover", "Barn", state="open"),
            EntityInfo("cover.workshop", "Workshop Door", "cover", "Workshop", state="open"),
            EntityInfo("cover.vent", "Greenhouse Vent", "cover", "Greenhouse"),
        ],
        ["Barn", "Workshop", "Greenhouse"],
    )
    request = parse_request("close all the garage doors", "en", doors)
    assert request.unknown == frozenset()
    found = allowed_targets(doors.entities, request).allowed
    assert found == {"cover.barn", "cover.workshop"}


def test_a_question_about_one_sensor_is_answered_with_its_reading() -> None:
    soil = EntityInfo(
        "sensor.soil",
        "Soil Moisture",
        "sensor",
        "Garden",
        state="23",
        attributes=(("unit_of_measurement", "%"),),
    )
    co2 = EntityInfo(
        "sensor.co2",
        "Study CO2",
        "sensor",
        "Study",
        state="950",
        attributes=(("unit_of_measurement", "ppm"),),
    )
    lamp = EntityInfo("light.study", "Study Light", "light", "Study", state="on")
    window = EntityInfo("binary_sensor.w", "Study Window", "binary_sensor", "Study", state="open")
    thermostat = EntityInfo("climate.study", "Study Heat", "climate", "Study", state="heat")
    found = asked_sensor([soil], frozenset())
    assert found is not None
    assert reading(found, PHRASES) == "Soil Moisture is 23%."
    found = asked_sensor([co2, lamp], frozenset())
    assert found is not None
    assert reading(found, PHRASES) == "Study CO2 is 950 ppm."
    assert asked_sensor([co2, lamp], frozenset({"light"})) is None  # "is the light on"
    assert asked_sensor([co2, window], frozenset()) is None  # which one: the model reads
    assert asked_sensor([co2, thermostat], frozenset({"climate"})) is None
    assert asked_sensor([soil, co2], frozenset()) is None


def test_a_plain_state_claim_in_an_answer_is_checked_clause_by_clause() -> None:
    sprinkler = EntityInfo("valve.sprinkler", "Sprinkler", "valve", "Garden", state="closed")
    window = EntityInfo("binary_sensor.w", "Bathroom Window", "binary_sensor", state="open")
    den = EntityInfo("light.den", "Den Light", "light", "Den", state="off")
    hall = EntityInfo("light.hall", "Hall Light", "light", "Hall", state="on")
    assert claim_reason("Yes, the sprinkler is running.", [sprinkler]) == (
        "Sprinkler is closed, not running"
    )
    assert false_claim("No, the sprinkler isn't running.", [sprinkler]) is None
    assert false_claim("The hall light is on and the den light is off.", [den, hall]) is None
    assert claim_reason("The hall light is off and the den light is off.", [den, hall]) == (
        "Hall Light is on, not off"
    )
    assert claim_reason("No, no window is open.", [den], [window, den]) == "Bathroom Window is open"
    assert false_claim("Yes, a window is open.", [den], [window, den]) is None
    assert false_claim("The temperature is 21 degrees.", [den]) is None


def test_a_named_area_keeps_out_same_named_devices_of_other_areas() -> None:
    home = [
        EntityInfo("cover.garage", "Garage Door", "cover", "Garage"),
        EntityInfo("light.garage", "Garage Light", "light", "Garage"),
        EntityInfo("cover.annex", "Annex Garage Door", "cover", "Annex Garage"),
    ]
    every = frozenset(entity.entity_id for entity in home)
    opened = narrow(home, every, frozenset(), "open the garage", {}, None, False)
    assert opened.allowed == {"cover.garage", "light.garage"}


def test_open_or_closed_is_not_a_claim_about_a_lock() -> None:
    lock = EntityInfo("lock.back", "Back Door Lock", "lock", "Kitchen", state="locked")
    contact = EntityInfo(
        "binary_sensor.back", "Back Door Contact", "binary_sensor", "Kitchen", state="open"
    )
    assert claim_reason("No, the back door is closed.", [lock], [lock, contact]) == (
        "Back Door Contact is open, not closed"
    )
    assert claim_reason("The back door is locked.", [lock, contact]) is None


def test_one_device_phrase_that_fits_several_without_a_kind_word_is_asked_about() -> None:
    home = [
        EntityInfo("cover.annex", "Annex Garage Door", "cover", "Annex Garage"),
        EntityInfo("cover.barn", "Barn Garage Door", "cover", "Barn Garage"),
    ]
    every = frozenset(entity.entity_id for entity in home)
    opened = narrow(home, every, frozenset(), "open the garage", {}, None, False)
    assert opened.allowed == frozenset()
    assert opened.ask == ("Annex Garage Door", "Barn Garage Door")


def test_a_false_claim_found_only_by_kind_is_not_said_as_the_answer() -> None:
    vacuum = EntityInfo("vacuum.robo", "Robovac", "vacuum", "Hall", state="docked")
    by_kind = false_claim("The vacuum is already running.", [], [vacuum])
    assert by_kind is not None
    assert not by_kind.about  # "Robovac is docked." might not be what was asked about
    by_name = false_claim("Robovac is running.", [], [vacuum])
    assert by_name is not None
    assert by_name.about

"""The dataset reader on the community format as other people write it."""

from __future__ import annotations

from pathlib import Path

import pytest
from homeassistant.components.vacuum import VacuumEntityFeature

from bench.assist_cases import load_cases
from bench.assist_dataset import MAX_ENTITIES, DatasetError, StateSpec, load_home
from bench.eval_report import SentenceResult, render_markdown, summarize
from bench.scoring import score


def _home(tmp_path: Path, fixtures: str, **tests: str) -> Path:
    (tmp_path / "_fixtures.yaml").write_text(fixtures)
    for name, text in tests.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    return tmp_path


ENUMS = """
areas: [{name: Garage, id: garage}, {name: Basement, id: basement}]
entities:
  - name: Garage Door
    id: cover.garage_door
    area: garage
    state: closed
    attributes: {device_class: cover.CoverDeviceClass.GARAGE}
  - name: Water Meter
    id: sensor.water_meter
    area: basement
    state: "12.5"
    attributes: {device_class: sensor.SensorDeviceClass.WATER}
  - name: Robot
    id: vacuum.robot
    state: docked
    attributes:
      supported_features: vacuum.VacuumEntityFeature.START | vacuum.VacuumEntityFeature.STOP
  - name: Hall Lamp
    id: light.hall_lamp
    state: "off"
    attributes: {supported_color_modes: [light.ColorMode.BRIGHTNESS]}
"""


def test_enum_names_are_read_as_the_values_home_assistant_stores(tmp_path: Path) -> None:
    door, meter, robot, lamp = load_home(_home(tmp_path, ENUMS)).entities
    assert door.attributes["device_class"] == "garage"
    assert meter.attributes["device_class"] == "water"
    features = VacuumEntityFeature.START | VacuumEntityFeature.STOP
    assert robot.attributes["supported_features"] == features
    assert lamp.attributes["supported_color_modes"] == ["brightness"]


def test_an_enum_name_with_a_typo_is_an_error_naming_the_entity(tmp_path: Path) -> None:
    fixtures = ENUMS.replace("CoverDeviceClass.GARAGE", "CoverDeviceClass.GARAJE")
    with pytest.raises(DatasetError, match=r"cover\.garage_door.*no member GARAJE"):
        load_home(_home(tmp_path, fixtures))


STATELESS = """
areas: [{name: Hall, id: hall}]
entities:
  - name: Hall Thermostat
    id: climate.hall
    area: hall
    attributes: {hvac_mode: heat, target_temperature: 21, current_temperature: 19.5}
  - name: Hall Temperature
    id: sensor.hall_temperature
    area: hall
    attributes: {native_value: 19.5, native_unit_of_measurement: °C, device_class: temperature}
  - name: Old Robot
    id: vacuum.old_robot
    state: "on"
  - name: Sleepy Robot
    id: vacuum.sleepy_robot
    state: "off"
"""


def test_entities_without_a_state_and_legacy_states(tmp_path: Path) -> None:
    thermostat, sensor, old, sleepy = load_home(_home(tmp_path, STATELESS)).entities
    assert (thermostat.state, thermostat.attributes["temperature"]) == ("heat", 21)
    assert (sensor.state, sensor.attributes["unit_of_measurement"]) == ("19.5", "°C")
    assert (old.state, sleepy.state) == ("cleaning", "idle")


def test_expected_legacy_states_are_mapped_like_the_fixtures(tmp_path: Path) -> None:
    tests = (
        "tests: [{sentences: [stop the robot], expect_changes: {vacuum.old_robot: {state: 'off'}}}]"
    )
    (case,) = load_cases(load_home(_home(tmp_path, STATELESS, vacuum=tests)))
    assert case.expect_changes == {"vacuum.old_robot": StateSpec("idle", {})}


FLOORS = """
floors:
  - {name: Ground Floor, id: ground, aliases: [downstairs], level: 0}
areas:
  - {name: Kitchen, id: kitchen, floor: ground}
  - {name: Bedroom, id: bedroom, floor: upstairs}
  - {name: Shed, id: shed}
devices:
  - {name: Kitchen Satellite, id: kitchen-satellite, area: kitchen}
  - {name: Spare Satellite, id: spare}
entities:
  - {name: Kitchen Light, id: light.kitchen_light, area: kitchen, state: "off"}
  - {name: Bedroom Light, id: light.bedroom_light, area: bedroom, state: "on",
     attributes: {brightness: 100}}
  - {name: Back Door, id: binary_sensor.back_door, area: kitchen, state: "off",
     attributes: {device_class: binary_sensor.BinarySensorDeviceClass.DOOR}}
"""


def test_areas_on_floors_listed_or_only_named(tmp_path: Path) -> None:
    home = load_home(_home(tmp_path, FLOORS))
    assert home.floors["ground"].aliases == ("downstairs",)
    assert home.floors["upstairs"].name == "Upstairs"  # made from the area's `floor`
    assert [place.floor for place in home.places.values()] == ["ground", "upstairs", None]
    assert home.entities[2].attributes["device_class"] == "door"


def test_a_test_spoken_at_a_device_and_with_changes_to_ignore(tmp_path: Path) -> None:
    tests = """
tests:
  - sentences: [turn on the light]
    context_device: kitchen-satellite
    expect_changes: {light.kitchen_light: {state: "on"}}
    ignore_changes: {light.bedroom_light: [brightness], light.kitchen_light: state}
"""
    (case,) = load_cases(load_home(_home(tmp_path, FLOORS, satellite=tests)))
    assert case.context_device == "kitchen-satellite"
    assert case.ignore_changes == {
        "light.bedroom_light": frozenset({"brightness"}),
        "light.kitchen_light": frozenset({"state"}),
    }
    before = {
        "light.kitchen_light": ("off", {}),
        "light.bedroom_light": ("on", {"brightness": 100}),
    }
    after = {
        "light.kitchen_light": ("off", {}),
        "light.bedroom_light": ("on", {"brightness": 30}),
    }
    assert score(before, after, case.expect_changes, case.ignore_changes).passed
    assert not score(before, after, case.expect_changes).passed


@pytest.mark.parametrize(
    ("fixtures", "tests", "message"),
    [
        (FLOORS, "tests: [{sentence: [x]}]", r"test 1: unknown field\(s\) \['sentence'\]"),
        (FLOORS.replace('state: "off"}', 'stat: "off"}', 1), "tests: []", "'stat'"),
        (FLOORS, "tests: [{sentences: [x], context_device: spare}]", "spare.*has no area"),
        (FLOORS, "tests: [{sentences: [x], context_device: attic}]", "attic.*not a device"),
        (FLOORS, "tests: [{sentences: [x], ignore_changes: {light.nope: [a]}}]", "light.nope"),
        (FLOORS + "\nscenes: []\n", "tests: []", r"unknown field\(s\) \['scenes'\]"),
    ],
    ids=["test typo", "entity typo", "device without area", "no device", "ignore", "top"],
)
def test_typos_and_unknown_fields_name_the_file_and_entry(
    tmp_path: Path, fixtures: str, tests: str, message: str
) -> None:
    with pytest.raises(DatasetError, match=message) as caught:
        load_cases(load_home(_home(tmp_path, fixtures, broken=tests)))
    assert str(tmp_path) in str(caught.value)


def test_a_home_too_big_to_build_is_refused_by_name(tmp_path: Path) -> None:
    lights = "\n".join(
        f"  - {{name: Light {n}, id: light.light_{n}, state: 'off'}}" for n in range(500)
    )
    with pytest.raises(DatasetError, match=f"500 entities.*at most {MAX_ENTITIES}"):
        load_home(_home(tmp_path, f"entities:\n{lights}\n"))


def test_the_report_shows_each_part_of_the_set_and_unasked_changes() -> None:
    results = [
        SentenceResult("a", "f", "one", "think", True, 1.0, part="own"),
        SentenceResult("b", "f", "two", "think", False, 2.0, problems=[], part="heldout"),
        SentenceResult(
            "b",
            "f",
            "three",
            "think",
            False,
            3.0,
            problems=["light.x changed unexpectedly: state 'off' -> 'on'"],
            part="heldout",
        ),
    ]
    summary = {**summarize(results), "home_errors": ["x/_fixtures.yaml: entity 'foo.bar'"]}
    assert summary["parts"]["own"]["pass_rate"] == 1.0
    assert summary["parts"]["heldout"]["passed"] == 0
    assert summary["parts"]["heldout"]["unasked_changes"] == 1
    markdown = render_markdown(summary, {})
    assert "| heldout | 2 | 0.0% | 2500 ms | 3000 ms | 1 |" in markdown
    assert "## Homes that could not run (1)" in markdown

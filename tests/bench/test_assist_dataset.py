"""The dataset reader: the community "assist" format and our two extensions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.assist_cases import load_cases
from bench.assist_dataset import DatasetError, StateSpec, find_homes, load_home

ROOT = Path(__file__).resolve().parents[2]

FIXTURES = """
areas:
  - {name: Kitchen, id: kitchen}
  - {name: Garage, id: garage}
devices:
  - {name: Opener, id: opener, area: garage}
entities:
  - {name: Kitchen Light, id: light.kitchen_light, area: kitchen, state: off,
     attributes: {brightness: 255}}
  - {name: Garage Door, id: cover.garage_door, device: opener, state: closed}
  - name: Bye
    id: script.bye
    sequence: [{action: light.turn_off, target: {entity_id: light.kitchen_light}}]
"""


def _home(tmp_path: Path, fixtures: str = FIXTURES, **tests: str) -> Path:
    (tmp_path / "_fixtures.yaml").write_text(fixtures)
    for name, text in tests.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    return tmp_path


def test_fixtures_give_entities_with_their_area_or_their_devices(tmp_path: Path) -> None:
    home = load_home(_home(tmp_path))
    light, door, script = home.entities
    assert (light.entity_id, light.state, dict(light.attributes)) == (
        "light.kitchen_light",
        "off",  # YAML's boolean `off` is read back as the state it means
        {"brightness": 255},
    )
    assert home.area_of(light) == "Kitchen"
    assert home.area_of(door) == "Garage"
    assert home.area_of(script) is None
    assert script.sequence[0]["action"] == "light.turn_off"


def test_every_sentence_of_a_test_is_a_case_with_its_setup_and_expectations(
    tmp_path: Path,
) -> None:
    tests = """
tests:
  - sentences: [open the garage door, open the garage]
    setup: {cover.garage_door: {state: closed}}
    expect_changes: {cover.garage_door: {state: open}}
  - sentences: ["is the light on?"]
    expect_answer: "off"
"""
    cases = load_cases(load_home(_home(tmp_path, covers=tests)))
    assert [case.sentence for case in cases] == [
        "open the garage door",
        "open the garage",
        "is the light on?",
    ]
    assert cases[0].file == "covers"
    assert cases[0].setup == {"cover.garage_door": StateSpec("closed", {})}
    assert cases[1].expect_changes == {"cover.garage_door": StateSpec("open", {})}
    assert cases[2].expect_changes == {}
    assert cases[2].expect_answer == ("off",)


def test_files_option_selects_test_files_by_pattern(tmp_path: Path) -> None:
    one = "tests: [{sentences: [a]}]"
    home = load_home(_home(tmp_path, lights=one, locks=one, covers=one))
    assert [c.file for c in load_cases(home, ["l*"])] == ["lights", "locks"]
    assert [c.file for c in load_cases(home, ["covers.yaml"])] == ["covers"]


@pytest.mark.parametrize(
    ("fixtures", "tests", "message"),
    [
        (
            FIXTURES,
            "tests: [{sentences: [x], expect_changes: {light.nope: {state: on}}}]",
            "light.nope",
        ),
        (FIXTURES, "tests: [{setup: {}}]", "sentences"),
        (FIXTURES, "tests: [{sentences: [x]}", "flow sequence"),
        ("entities: [{name: A, id: light.a, area: attic}]", "tests: []", "unknown area"),
        ("entities: [{name: A, id: nodot}]", "tests: []", "bad entity id"),
        ("entities: [{id: light.a}]", "tests: []", "needs a `name`"),
    ],
)
def test_inconsistent_datasets_are_refused_with_the_place_named(
    tmp_path: Path, fixtures: str, tests: str, message: str
) -> None:
    with pytest.raises(DatasetError, match=message):
        load_cases(load_home(_home(tmp_path, fixtures, broken=tests)))


def test_homes_are_found_in_a_directory_of_homes(tmp_path: Path) -> None:
    for name in ("b_house", "a_flat"):
        (tmp_path / name).mkdir()
        _home(tmp_path / name)
    (tmp_path / "notes").mkdir()
    assert [path.name for path in find_homes(tmp_path)] == ["a_flat", "b_house"]
    assert find_homes(tmp_path / "a_flat") == [tmp_path / "a_flat"]
    with pytest.raises(DatasetError, match=r"no _fixtures\.yaml"):
        find_homes(tmp_path / "notes")


def test_our_dataset_has_three_homes_and_150_sentences_over_every_domain() -> None:
    homes = [load_home(path) for path in find_homes(ROOT / "bench" / "datasets")]
    cases = [case for home in homes for case in load_cases(home)]
    assert len(homes) >= 3
    assert len(cases) >= 150
    expected = {case_id.partition(".")[0] for c in cases for case_id in c.expect_changes}
    for domain in ("light", "fan", "cover", "lock", "vacuum", "media_player", "valve"):
        assert domain in expected
    assert {"climate", "todo"} <= expected
    assert any(e.domain == "script" and e.sequence for h in homes for e in h.entities)
    assert sum(1 for c in cases if not c.expect_changes and not c.expect_answer) >= 15
    assert sum(1 for c in cases if c.expect_answer) >= 20
    assert sum(1 for c in cases if len(c.expect_changes) > 1) >= 10

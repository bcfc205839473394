"""The router's labelled dataset: valid files, known categories, a separate held-out part."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.routing import grown_home
from bench.routing_dataset import (
    CATEGORIES,
    ROUTING,
    RoutingDatasetError,
    homes_of,
    load_all,
    load_home,
    load_part,
)


def test_the_dataset_loads_with_enough_utterances_and_homes() -> None:
    cases = load_all()
    assert len(cases) >= 400
    assert len({case.home for case in cases}) >= 3
    assert {case.category for case in cases} == set(CATEGORIES)
    assert {case.path for case in cases} == {"think", "fast"}


def test_the_held_out_part_is_a_quarter_and_in_its_own_folder() -> None:
    held_out, tuning = load_part("held_out"), load_part("tuning")
    assert len(held_out) >= 0.25 * (len(held_out) + len(tuning))
    assert (ROUTING / "held_out").is_dir()
    assert {c.part for c in held_out} == {"held_out"}
    tuned = {(c.home, c.text.casefold()) for c in tuning}
    assert not [c.text for c in held_out if (c.home, c.text.casefold()) in tuned]


def test_every_part_covers_every_category() -> None:
    for part in ("tuning", "held_out"):
        assert set(Counter(case.category for case in load_part(part))) == set(CATEGORIES)


def test_the_own_homes_have_floors_aliases_and_sensors() -> None:
    for name in ("loft", "homestead"):
        home = load_home(name)
        assert "upstairs" in home.place_names
        assert {"sensor", "binary_sensor"} <= set(home.domains)
        assert len(home.device_names) > home.entity_count  # aliases


def test_a_home_grows_to_200_entities_with_renamed_copies() -> None:
    homes = homes_of(load_all())
    grown = grown_home(homes, "family_house", 200)
    assert grown.entity_count == 200
    assert "Annex Kitchen Light" in grown.device_names
    assert set(homes["family_house"].device_names) <= set(grown.device_names)


def _write(root: Path, part: str, body: str) -> None:
    (root / part).mkdir(parents=True, exist_ok=True)
    (root / part / "apartment.yaml").write_text(body, encoding="utf-8")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ('{text: "hi", path: cloud, category: chitchat}', "path 'cloud'"),
        ('{text: "hi", path: fast, category: smalltalk}', "category 'smalltalk'"),
        ("{path: fast, category: chitchat}", "needs a `text`"),
        ('{text: "and?", path: fast, category: follow_up}', "follow-up"),
        ('{text: "hi", path: fast, category: chitchat, previous: fast}', "follow-up"),
    ],
)
def test_a_bad_case_is_an_error_naming_file_and_case(
    tmp_path: Path, case: str, message: str
) -> None:
    _write(tmp_path, "tuning", f"home: apartment\ncases:\n  - {case}\n")
    with pytest.raises(RoutingDatasetError, match=message) as raised:
        load_part("tuning", tmp_path)
    assert "apartment.yaml case 1" in str(raised.value)


def test_an_unknown_home_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "tuning", "home: castle\ncases: []\n")
    with pytest.raises(RoutingDatasetError, match="no home 'castle'"):
        load_part("tuning", tmp_path)


def test_an_utterance_in_both_parts_is_an_error(tmp_path: Path) -> None:
    body = 'home: apartment\ncases:\n  - {text: "hi", path: fast, category: chitchat}\n'
    _write(tmp_path, "tuning", body)
    _write(tmp_path, "held_out", body.replace('"hi"', '"Hi"'))
    with pytest.raises(RoutingDatasetError, match="in tuning and held_out"):
        load_all(tmp_path)

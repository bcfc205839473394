"""The grower: a home of the dataset grown with renamed copies of other homes' devices."""

from __future__ import annotations

from pathlib import Path

from bench.assist_cases import load_cases
from bench.assist_dataset import find_homes, load_home
from bench.grow_home import grow, main

DATASETS = Path(__file__).resolve().parents[2] / "bench" / "datasets"


def test_a_grown_home_keeps_its_own_devices_and_sentences(tmp_path: Path) -> None:
    source = load_home(DATASETS / "family_house")
    grown = load_home(grow(DATASETS / "family_house", find_homes(DATASETS), 200, tmp_path))
    assert len(grown.entities) == 200
    own = {entity.entity_id: entity for entity in source.entities}
    kept = [entity for entity in grown.entities if entity.entity_id in own]
    assert [(e.name, e.state, grown.area_of(e)) for e in kept] == [
        (e.name, e.state, source.area_of(e)) for e in source.entities
    ]
    added = [entity for entity in grown.entities if entity.entity_id not in own]
    for entity in added:
        prefix = entity.name.split()[0]
        area = grown.area_of(entity)
        assert area is not None
        assert area.startswith(f"{prefix} ")
        assert area not in source.areas.values()
        assert entity.domain not in {"script", "todo"}
    assert "Annex Kitchen Light" in {entity.name for entity in added}
    assert [c.sentence for c in load_cases(grown)] == [c.sentence for c in load_cases(source)]


def test_the_command_line_grows_each_home_given(tmp_path: Path) -> None:
    homes = [str(DATASETS / "apartment"), str(DATASETS / "cottage")]
    assert main([*homes, "--to", "80", "--out", str(tmp_path)]) == 0
    assert [len(load_home(tmp_path / name).entities) for name in ("apartment", "cottage")] == [
        80,
        80,
    ]


def test_distractors_start_at_rest(tmp_path: Path) -> None:
    grown = load_home(grow(DATASETS / "family_house", find_homes(DATASETS), 200, tmp_path))
    own = {entity.entity_id for entity in load_home(DATASETS / "family_house").entities}
    added = [entity for entity in grown.entities if entity.entity_id not in own]
    states = {(entity.domain, entity.state) for entity in added}
    assert ("light", "off") in states
    assert ("lock", "locked") in states
    assert not {("light", "on"), ("lock", "unlocked"), ("cover", "open")} & states
    for entity in added:
        attributes = dict(entity.attributes)
        if entity.domain == "light":
            assert "brightness" not in attributes
        if entity.domain == "cover" and "current_position" in attributes:
            assert attributes["current_position"] == 0
    thermostats = [entity for entity in added if entity.domain == "climate"]
    assert thermostats
    assert all(entity.state for entity in thermostats)

"""Datasets in the community "assist" format used to benchmark Home Assistant agents.

A home is a directory with `_fixtures.yaml`:

    areas:    [{name: Kitchen, id: kitchen}]
    devices:  [{name: Kitchen Light, id: kitchen-light, area: kitchen}]
    entities: [{name: Kitchen Light, id: light.kitchen_light, area: kitchen,
                device: kitchen-light, state: "off", attributes: {brightness: 0}}]

and test files (every other `*.yaml`) with

    tests:
      - sentences: ["turn on the kitchen light", ...]
        setup: {light.kitchen_light: {state: "off"}}                 # optional
        expect_changes: {light.kitchen_light: {state: "on"}}         # optional

Two extensions, both optional: a script entity may carry a `sequence` (Home Assistant
actions the script runs), and a test may carry `expect_answer`, words or phrases of
which at least one must be in the spoken answer (for questions about the home).
An expected attribute may be `{min: x, max: y}` for relative requests ("brighter").

Plain Python (PyYAML only), no Home Assistant import.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

FIXTURES = "_fixtures.yaml"


class DatasetError(Exception):
    """The dataset does not follow the format; the message names the file and entry."""


@dataclass(frozen=True)
class StateSpec:
    """A state and some attributes of one entity (setup or expectation)."""

    state: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FixtureEntity:
    entity_id: str
    name: str
    area: str | None
    device: str | None
    state: str
    attributes: Mapping[str, Any]
    sequence: tuple[Mapping[str, Any], ...] = ()

    @property
    def domain(self) -> str:
        return self.entity_id.partition(".")[0]


@dataclass(frozen=True)
class Home:
    """The `_fixtures.yaml` of one dataset directory."""

    name: str
    path: Path
    areas: Mapping[str, str]  # id -> name
    devices: Mapping[str, tuple[str, str | None]]  # id -> (name, area id)
    entities: tuple[FixtureEntity, ...]

    def area_of(self, entity: FixtureEntity) -> str | None:
        """The area name of an entity, its own or its device's."""
        area_id = entity.area
        if area_id is None and entity.device is not None:
            area_id = self.devices[entity.device][1]
        return self.areas[area_id] if area_id is not None else None


@dataclass(frozen=True)
class Case:
    """One sentence of one test, with what it must do."""

    home: str
    file: str
    sentence: str
    setup: Mapping[str, StateSpec]
    expect_changes: Mapping[str, StateSpec]
    expect_answer: tuple[str, ...] = ()


def state_text(value: Any) -> str:
    """YAML reads `on`/`off` as booleans; states are strings."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise DatasetError(f"{path}: {err}") from err


def _entries(data: Any, key: str, path: Path) -> list[Mapping[str, Any]]:
    entries = data.get(key) or [] if isinstance(data, Mapping) else None
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        raise DatasetError(f"{path}: `{key}` must be a list of mappings")
    return entries


def _required(entry: Mapping[str, Any], key: str, path: Path) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise DatasetError(f"{path}: entry {dict(entry)!r} needs a `{key}`")
    return value


def load_home(directory: Path) -> Home:
    """Read `<directory>/_fixtures.yaml`; raise DatasetError on any inconsistency."""
    path = directory / FIXTURES
    data = _load(path)
    areas = {
        _required(a, "id", path): _required(a, "name", path) for a in _entries(data, "areas", path)
    }
    devices: dict[str, tuple[str, str | None]] = {}
    for entry in _entries(data, "devices", path):
        device_area = entry.get("area")
        if device_area is not None and device_area not in areas:
            raise DatasetError(
                f"{path}: device {entry.get('id')!r} has unknown area {device_area!r}"
            )
        devices[_required(entry, "id", path)] = (_required(entry, "name", path), device_area)
    entities: list[FixtureEntity] = []
    for entry in _entries(data, "entities", path):
        entity_id = _required(entry, "id", path)
        area, device = entry.get("area"), entry.get("device")
        if "." not in entity_id or entity_id in {e.entity_id for e in entities}:
            raise DatasetError(f"{path}: bad or repeated entity id {entity_id!r}")
        if area is not None and area not in areas:
            raise DatasetError(f"{path}: {entity_id} has unknown area {area!r}")
        if device is not None and device not in devices:
            raise DatasetError(f"{path}: {entity_id} has unknown device {device!r}")
        attributes = entry.get("attributes") or {}
        if not isinstance(attributes, Mapping):
            raise DatasetError(f"{path}: attributes of {entity_id} must be a mapping")
        entities.append(
            FixtureEntity(
                entity_id=entity_id,
                name=_required(entry, "name", path),
                area=area,
                device=device,
                state=state_text(entry.get("state", "unknown")),
                attributes=dict(attributes),
                sequence=tuple(entry.get("sequence") or ()),
            )
        )
    return Home(directory.name, directory, areas, devices, tuple(entities))


def _specs(value: Any, known: set[str], where: str) -> dict[str, StateSpec]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise DatasetError(f"{where}: expected a mapping of entity ids")
    specs: dict[str, StateSpec] = {}
    for entity_id, given in value.items():
        if entity_id not in known:
            raise DatasetError(f"{where}: {entity_id!r} is not in the fixtures")
        spec = given or {}
        if not isinstance(spec, Mapping) or not isinstance(spec.get("attributes") or {}, Mapping):
            raise DatasetError(f"{where}: {entity_id} needs `state` and/or `attributes`")
        state = spec.get("state")
        specs[entity_id] = StateSpec(
            None if state is None else state_text(state), dict(spec.get("attributes") or {})
        )
    return specs


def load_cases(home: Home, files: Iterable[str] = ()) -> list[Case]:
    """Every sentence of the home's test files (those matching `files`, if given),
    in file order, then test order."""
    patterns = list(files)
    known = {entity.entity_id for entity in home.entities}
    cases: list[Case] = []
    for path in sorted(home.path.glob("*.yaml")):
        if path.name == FIXTURES:
            continue
        if patterns and not any(
            fnmatch.fnmatch(path.stem, p.removesuffix(".yaml")) for p in patterns
        ):
            continue
        for number, test in enumerate(_entries(_load(path), "tests", path), start=1):
            where = f"{path} test {number}"
            sentences = test.get("sentences")
            if not isinstance(sentences, list) or not sentences:
                raise DatasetError(f"{where}: needs a list of `sentences`")
            answer = test.get("expect_answer") or []
            answer = [answer] if isinstance(answer, str) else answer
            setup = _specs(test.get("setup"), known, where)
            expected = _specs(test.get("expect_changes"), known, where)
            cases.extend(
                Case(home.name, path.stem, str(s), setup, expected, tuple(map(str, answer)))
                for s in sentences
            )
    return cases


def find_homes(path: Path) -> list[Path]:
    """`path` itself when it holds `_fixtures.yaml`, else its subdirectories that do."""
    if (path / FIXTURES).is_file():
        return [path]
    homes = sorted(child for child in path.iterdir() if (child / FIXTURES).is_file())
    if not homes:
        raise DatasetError(f"{path}: no {FIXTURES} here or in its subdirectories")
    return homes

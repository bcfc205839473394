"""Homes in the community "assist" format used to benchmark Home Assistant agents.

A home is a directory with `_fixtures.yaml`:

    floors:   [{name: Upstairs, id: upstairs, aliases: [first floor]}]   # optional
    areas:    [{name: Kitchen, id: kitchen, floor: downstairs}]
    devices:  [{name: Kitchen Light, id: kitchen-light, area: kitchen}]
    entities: [{name: Kitchen Light, id: light.kitchen_light, area: kitchen,
                device: kitchen-light, state: "off", attributes: {brightness: 0}}]

An area's `floor` may name a floor that `floors` does not list: the floor is then made
with that name. Values are read as others write them (`bench.fixture_values`: enum
names, entities without a `state`, legacy states). The sentences are in the other
files of the directory (`bench.assist_cases`).

Every entry is checked: an unknown field, area, device or floor, a repeated id, or more
than `MAX_ENTITIES` entities is a `DatasetError` naming the file and the entry, so one
bad home is reported and the others still run. Plain Python (PyYAML; Home Assistant's
enums are read only when a value names one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

from bench.fixture_values import FixtureValueError, entity_state, read_attributes

FIXTURES = "_fixtures.yaml"
# More than this is refused: the virtual home and the agent are not built for it, and
# a home this big is usually a dump of a real one by mistake.
MAX_ENTITIES = 400
FIXTURE_KEYS = {"floors", "areas", "devices", "entities"}
FLOOR_KEYS = {"name", "id", "aliases", "level", "icon"}
AREA_KEYS = {"name", "id", "floor", "aliases", "icon"}
DEVICE_KEYS = {"name", "id", "area", "manufacturer", "model", "sw_version", "info"}
ENTITY_KEYS = {"name", "id", "area", "device", "state", "attributes", "sequence", "aliases"}


class DatasetError(Exception):
    """The dataset does not follow the format; the message names the file and entry."""


@dataclass(frozen=True)
class StateSpec:
    """A state and some attributes of one entity (setup or expectation)."""

    state: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FixtureEntity:
    """One entity of the fixtures, its values read into what Home Assistant shows."""

    entity_id: str
    name: str
    area: str | None
    device: str | None
    state: str
    attributes: Mapping[str, Any]
    sequence: tuple[Mapping[str, Any], ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def domain(self) -> str:
        """The entity's domain, e.g. `light`."""
        return self.entity_id.partition(".")[0]


@dataclass(frozen=True)
class Place:
    """A floor or an area: its name, aliases and (for an area) its floor id."""

    name: str
    aliases: tuple[str, ...] = ()
    floor: str | None = None
    level: int | None = None


@dataclass(frozen=True)
class Home:
    """The `_fixtures.yaml` of one dataset directory."""

    name: str
    path: Path
    areas: Mapping[str, str]  # id -> name
    devices: Mapping[str, tuple[str, str | None]]  # id -> (name, area id)
    entities: tuple[FixtureEntity, ...]
    floors: Mapping[str, Place] = field(default_factory=dict)  # id -> floor
    places: Mapping[str, Place] = field(default_factory=dict)  # area id -> area

    def area_of(self, entity: FixtureEntity) -> str | None:
        """The area name of an entity, its own or its device's."""
        area_id = entity.area
        if area_id is None and entity.device is not None:
            area_id = self.devices[entity.device][1]
        return self.areas[area_id] if area_id is not None else None


def load_yaml(path: Path) -> Any:
    """One YAML file; a syntax error is a DatasetError naming the file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise DatasetError(f"{path}: {err}") from err


def entries(data: Any, key: str, path: Path) -> list[Mapping[str, Any]]:
    """The list under `key` (empty if absent); anything else is a DatasetError."""
    found = data.get(key) or [] if isinstance(data, Mapping) else None
    if not isinstance(found, list) or not all(isinstance(e, Mapping) for e in found):
        raise DatasetError(f"{path}: `{key}` must be a list of mappings")
    return found


def check_keys(entry: Mapping[str, Any], allowed: set[str], where: str) -> None:
    """Refuse fields the format does not have (typos included), naming them."""
    unknown = sorted(str(key) for key in entry if key not in allowed)
    if unknown:
        raise DatasetError(f"{where}: unknown field(s) {unknown}; the format has {sorted(allowed)}")


def _required(entry: Mapping[str, Any], key: str, path: Path) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise DatasetError(f"{path}: entry {dict(entry)!r} needs a `{key}`")
    return value


def _names(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise DatasetError(f"{where}: `aliases` must be a name or a list of names")


def _floors(data: Any, path: Path) -> dict[str, Place]:
    floors: dict[str, Place] = {}
    for entry in entries(data, "floors", path):
        floor_id = _required(entry, "id", path)
        check_keys(entry, FLOOR_KEYS, f"{path}: floor {floor_id!r}")
        level = entry.get("level")
        floors[floor_id] = Place(
            _required(entry, "name", path),
            _names(entry.get("aliases"), f"{path}: floor {floor_id!r}"),
            level=level if isinstance(level, int) else None,
        )
    return floors


def _areas(data: Any, path: Path, floors: dict[str, Place]) -> dict[str, Place]:
    areas: dict[str, Place] = {}
    for entry in entries(data, "areas", path):
        area_id = _required(entry, "id", path)
        where = f"{path}: area {area_id!r}"
        check_keys(entry, AREA_KEYS, where)
        floor = entry.get("floor")
        if floor is not None:
            if not isinstance(floor, str) or not floor:
                raise DatasetError(f"{where}: `floor` must be a floor id or name")
            floors.setdefault(floor, Place(floor.replace("_", " ").title()))
        areas[area_id] = Place(
            _required(entry, "name", path), _names(entry.get("aliases"), where), floor
        )
    return areas


def _devices(
    data: Any, path: Path, areas: Mapping[str, Place]
) -> dict[str, tuple[str, str | None]]:
    devices: dict[str, tuple[str, str | None]] = {}
    for entry in entries(data, "devices", path):
        device_id = _required(entry, "id", path)
        check_keys(entry, DEVICE_KEYS, f"{path}: device {device_id!r}")
        device_area = entry.get("area")
        if device_area is not None and device_area not in areas:
            raise DatasetError(f"{path}: device {device_id!r} has unknown area {device_area!r}")
        devices[device_id] = (_required(entry, "name", path), device_area)
    return devices


def _entity(
    entry: Mapping[str, Any], path: Path, areas: Mapping[str, Place], devices: Mapping[str, Any]
) -> FixtureEntity:
    entity_id = _required(entry, "id", path)
    where = f"{path}: entity {entity_id!r}"
    check_keys(entry, ENTITY_KEYS, where)
    area, device = entry.get("area"), entry.get("device")
    if "." not in entity_id:
        raise DatasetError(f"{where}: bad entity id (needs `domain.name`)")
    if area is not None and area not in areas:
        raise DatasetError(f"{where}: unknown area {area!r}")
    if device is not None and device not in devices:
        raise DatasetError(f"{where}: unknown device {device!r}")
    given = entry.get("attributes") or {}
    if not isinstance(given, Mapping):
        raise DatasetError(f"{where}: attributes must be a mapping")
    domain = entity_id.partition(".")[0]
    try:
        attributes = read_attributes(given)
        state = entity_state(domain, entry.get("state"), attributes)
    except FixtureValueError as err:
        raise DatasetError(f"{where}: {err}") from err
    return FixtureEntity(
        entity_id=entity_id,
        name=_required(entry, "name", path),
        area=area,
        device=device,
        state=state,
        attributes=attributes,
        sequence=tuple(entry.get("sequence") or ()),
        aliases=_names(entry.get("aliases"), where),
    )


def load_home(directory: Path) -> Home:
    """Read `<directory>/_fixtures.yaml`; raise DatasetError on any inconsistency."""
    path = directory / FIXTURES
    data = load_yaml(path)
    if isinstance(data, Mapping):
        check_keys(data, FIXTURE_KEYS, str(path))
    floors = _floors(data, path)
    places = _areas(data, path, floors)
    devices = _devices(data, path, places)
    found = entries(data, "entities", path)
    if len(found) > MAX_ENTITIES:
        raise DatasetError(
            f"{path}: {len(found)} entities; the virtual home builds at most {MAX_ENTITIES}"
        )
    entities: dict[str, FixtureEntity] = {}
    for entry in found:
        entity = _entity(entry, path, places, devices)
        if entity.entity_id in entities:
            raise DatasetError(f"{path}: entity {entity.entity_id!r} is repeated")
        entities[entity.entity_id] = entity
    areas = {area_id: place.name for area_id, place in places.items()}
    return Home(directory.name, directory, areas, devices, tuple(entities.values()), floors, places)


def find_homes(path: Path) -> list[Path]:
    """`path` itself when it holds `_fixtures.yaml`, else every home below it (any depth)."""
    if (path / FIXTURES).is_file():
        return [path]
    homes = sorted(fixtures.parent for fixtures in path.rglob(FIXTURES))
    if not homes:
        raise DatasetError(f"{path}: no {FIXTURES} here or in its subdirectories")
    return homes

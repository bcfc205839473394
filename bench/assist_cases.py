"""The sentences of a home in the community "assist" format.

Every `*.yaml` of the home's
directory but `_fixtures.yaml`, each with

    tests:
      - sentences: ["turn on the kitchen light", ...]
        setup: {light.kitchen_light: {state: "off"}}                 # optional
        expect_changes: {light.kitchen_light: {state: "on"}}         # optional
        ignore_changes: {light.kitchen_light: [brightness]}          # optional
        context_device: kitchen-satellite                            # optional

`ignore_changes` names, per entity, the attributes (or `state`) not to score;
`context_device` is a fixture device the sentence is spoken at (a satellite in that
device's area). Our extensions: `expect_answer`, words or phrases of which at least one
must be in the spoken answer (for questions); an expected attribute may be
`{min: x, max: y}` for relative requests ("brighter").

Plain Python, no Home Assistant import.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bench.assist_dataset import (
    FIXTURES,
    DatasetError,
    Home,
    StateSpec,
    check_keys,
    entries,
    load_yaml,
)
from bench.fixture_values import FixtureValueError, entity_state, read_attributes

TEST_FILE_KEYS = {"category", "tests", "description", "name"}
TEST_KEYS = {
    "sentences",
    "setup",
    "expect_changes",
    "expect_answer",
    "ignore_changes",
    "context_device",
    "description",
    "name",
}


@dataclass(frozen=True)
class Case:
    """One sentence of one test, with what it must do."""

    home: str
    file: str
    sentence: str
    setup: Mapping[str, StateSpec]
    expect_changes: Mapping[str, StateSpec]
    expect_answer: tuple[str, ...] = ()
    ignore_changes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    context_device: str | None = None


def _specs(value: Any, home: Home, where: str) -> dict[str, StateSpec]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise DatasetError(f"{where}: expected a mapping of entity ids")
    known = {entity.entity_id for entity in home.entities}
    specs: dict[str, StateSpec] = {}
    for entity_id, given in value.items():
        if entity_id not in known:
            raise DatasetError(f"{where}: {entity_id!r} is not in the fixtures")
        spec = given or {}
        if not isinstance(spec, Mapping) or not isinstance(spec.get("attributes") or {}, Mapping):
            raise DatasetError(f"{where}: {entity_id} needs `state` and/or `attributes`")
        check_keys(spec, {"state", "attributes"}, f"{where}: {entity_id}")
        state, domain = spec.get("state"), str(entity_id).partition(".")[0]
        try:
            specs[entity_id] = StateSpec(
                None if state is None else entity_state(domain, state, {}),
                read_attributes(spec.get("attributes") or {}),
            )
        except FixtureValueError as err:
            raise DatasetError(f"{where}: {entity_id}: {err}") from err
    return specs


def _ignored(value: Any, home: Home, where: str) -> dict[str, frozenset[str]]:
    if value is None:
        return {}
    known = {entity.entity_id for entity in home.entities}
    if not isinstance(value, Mapping):
        raise DatasetError(f"{where}: `ignore_changes` must map entity ids to attributes")
    ignored: dict[str, frozenset[str]] = {}
    for entity_id, names in value.items():
        if entity_id not in known:
            raise DatasetError(f"{where}: ignore_changes: {entity_id!r} is not in the fixtures")
        listed = [names] if isinstance(names, str) else names
        if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
            raise DatasetError(f"{where}: ignore_changes of {entity_id} must list attribute names")
        ignored[entity_id] = frozenset(listed)
    return ignored


def _case_fields(test: Mapping[str, Any], home: Home, where: str) -> dict[str, Any]:
    answer = test.get("expect_answer") or []
    answer = [answer] if isinstance(answer, str) else answer
    device = test.get("context_device")
    if device is not None and device not in home.devices:
        raise DatasetError(f"{where}: context_device {device!r} is not a device of the fixtures")
    if device is not None and home.devices[device][1] is None:
        raise DatasetError(f"{where}: context_device {device!r} has no area")
    return {
        "setup": _specs(test.get("setup"), home, where),
        "expect_changes": _specs(test.get("expect_changes"), home, where),
        "expect_answer": tuple(map(str, answer)),
        "ignore_changes": _ignored(test.get("ignore_changes"), home, where),
        "context_device": device,
    }


def load_cases(home: Home, files: Iterable[str] = ()) -> list[Case]:
    """Every sentence of the home's test files (those matching `files`, if given).

    In file order, then test order; a DatasetError names the file and test.
    """
    patterns = list(files)
    cases: list[Case] = []
    for path in sorted(home.path.glob("*.yaml")):
        if path.name == FIXTURES:
            continue
        if patterns and not any(
            fnmatch.fnmatch(path.stem, p.removesuffix(".yaml")) for p in patterns
        ):
            continue
        data = load_yaml(path)
        if isinstance(data, Mapping):
            check_keys(data, TEST_FILE_KEYS, str(path))
        for number, test in enumerate(entries(data, "tests", path), start=1):
            where = f"{path} test {number}"
            check_keys(test, TEST_KEYS, where)
            sentences = test.get("sentences")
            if not isinstance(sentences, list) or not sentences:
                raise DatasetError(f"{where}: needs a list of `sentences`")
            fields = _case_fields(test, home, where)
            cases.extend(Case(home.name, path.stem, str(s), **fields) for s in sentences)
    return cases

"""The router's labelled utterances (`bench/datasets/routing/`) and the homes they name.

    homes/<name>.yaml          a home in the community fixtures layout, plus `floors`
                               and `aliases` (on floors, areas and entities)
    tuning/<home>.yaml         utterances the router was tuned on
    held_out/<home>.yaml       utterances it was never tuned on

An utterance file is `home: <name>` (a home of `bench/datasets/<name>/_fixtures.yaml` or
`homes/<name>.yaml`) and `cases:`, each `{text, path: think|fast, category}` with an
optional `previous: think|fast` (the path of the turn before) and `language` (default en).

Plain Python (PyYAML only), no Home Assistant import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

DATASETS = Path(__file__).resolve().parent / "datasets"
ROUTING = DATASETS / "routing"
PARTS = ("tuning", "held_out")
PATHS = frozenset({"think", "fast"})
# What the utterance is. Every utterance labelled `think` is about the home or the
# user's own business (or in a language without router words): none may reach the cloud.
CATEGORIES = (
    *("command", "state_question", "indirect", "personal", "other_language"),
    *("general", "chitchat", "joke", "maths", "follow_up", "tricky"),
)


class RoutingDatasetError(Exception):
    """A routing dataset file is not in the format; the message names file and entry."""


@dataclass(frozen=True)
class RoutingHome:
    """The names a home answers to, as the router's vocabulary is built from them."""

    name: str
    device_names: tuple[str, ...]  # entity names and aliases
    place_names: tuple[str, ...]  # area and floor names and aliases
    domains: tuple[str, ...]
    entity_count: int


@dataclass(frozen=True)
class RoutingCase:
    """One labelled utterance."""

    part: str
    home: str
    text: str
    path: str
    category: str
    previous: str | None = None
    language: str = "en"
    file: str = ""  # the utterance file's name, without `.yaml`

    @property
    def about_home(self) -> bool:
        """Whether routing it to the cloud would send the home's business there."""
        return self.path == "think"


def _yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise RoutingDatasetError(f"{path}: {err}") from err


def _names(entry: Mapping[str, Any], path: Path) -> list[str]:
    name, aliases = entry.get("name"), entry.get("aliases") or []
    if not isinstance(name, str) or not isinstance(aliases, list):
        raise RoutingDatasetError(f"{path}: entry {dict(entry)!r} needs a `name` (and a list)")
    return [name, *map(str, aliases)]


def home_from_fixtures(name: str, data: Mapping[str, Any], path: Path) -> RoutingHome:
    """A home from fixtures data (`areas`, `floors`, `entities`, each with names)."""
    places: list[str] = []
    for key in ("floors", "areas"):
        for entry in data.get(key) or []:
            places.extend(_names(entry, path))
    devices: list[str] = []
    domains: set[str] = set()
    entities = data.get("entities") or []
    for entry in entities:
        devices.extend(_names(entry, path))
        domains.add(str(entry.get("id", "")).partition(".")[0])
    return RoutingHome(name, tuple(devices), tuple(places), tuple(sorted(domains)), len(entities))


def fixtures_path(home: str) -> Path:
    """Where a home's fixtures live: the routing homes first, then the eval homes."""
    own = ROUTING / "homes" / f"{home}.yaml"
    return own if own.is_file() else DATASETS / home / "_fixtures.yaml"


def load_home(home: str) -> RoutingHome:
    """A home named by an utterance file."""
    path = fixtures_path(home)
    if not path.is_file():
        raise RoutingDatasetError(f"no home {home!r} (looked for {path})")
    data = _yaml(path)
    if not isinstance(data, Mapping):
        raise RoutingDatasetError(f"{path}: not a mapping")
    return home_from_fixtures(home, data, path)


def _case(part: str, home: str, entry: Any, where: str, file: str) -> RoutingCase:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("text"), str):
        raise RoutingDatasetError(f"{where}: needs a `text`")
    path, category, previous = entry.get("path"), entry.get("category"), entry.get("previous")
    if path not in PATHS or category not in CATEGORIES:
        raise RoutingDatasetError(f"{where}: path {path!r} or category {category!r} unknown")
    if previous is not None and previous not in PATHS:
        raise RoutingDatasetError(f"{where}: previous {previous!r} is not a path")
    if (previous is not None) != (category == "follow_up"):
        raise RoutingDatasetError(f"{where}: a follow-up, and only a follow-up, has `previous`")
    language = str(entry.get("language", "en"))
    return RoutingCase(part, home, entry["text"], path, category, previous, language, file)


def load_part(part: str, root: Path = ROUTING) -> list[RoutingCase]:
    """Every case of one part (`tuning` or `held_out`), file by file."""
    cases: list[RoutingCase] = []
    files = sorted((root / part).glob("*.yaml"))
    if not files:
        raise RoutingDatasetError(f"{root / part}: no utterance files")
    for path in files:
        data = _yaml(path)
        if not isinstance(data, Mapping) or not isinstance(data.get("cases"), list):
            raise RoutingDatasetError(f"{path}: needs `home` and a list of `cases`")
        home = str(data.get("home"))
        load_home(home)
        for number, entry in enumerate(data["cases"], start=1):
            cases.append(_case(part, home, entry, f"{path} case {number}", path.stem))
    return cases


def load_all(root: Path = ROUTING) -> list[RoutingCase]:
    """Both parts; an utterance in both parts for the same home is an error."""
    cases = [case for part in PARTS for case in load_part(part, root)]
    seen: dict[tuple[str, str, str | None], str] = {}
    for case in cases:
        key = (case.home, case.text.casefold(), case.previous)
        if key in seen and seen[key] != case.part:
            raise RoutingDatasetError(f"{case.home}: {case.text!r} is in tuning and held_out")
        seen[key] = case.part
    return cases


def homes_of(cases: Iterable[RoutingCase]) -> dict[str, RoutingHome]:
    """The homes the cases are spoken in."""
    return {name: load_home(name) for name in sorted({case.home for case in cases})}

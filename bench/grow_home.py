"""Grow a home of the dataset to N entities with distractors, keeping its sentences.

Real homes are bigger than the ones sentences are written for. The grown home is the
home itself plus renamed copies of other homes' devices in new areas: the other home's
"Kitchen Light" in the new area "Annex Kitchen" is "Annex Kitchen Light", its
"Garage Door" in "Barn Garage" is "Barn Garage Door". The home's own entities, ids and
sentences are unchanged, so the same sentences can be scored in the grown home; a
distractor that changes is a device changed without being asked to.

    python -m bench.grow_home bench/datasets/family_house --to 200 --out /tmp/grown

Scripts and to-do lists are not copied (a copied script would act on the other home's
devices; a list's items are the home's own). Distractors start at rest, as most devices
of a big home are: lights, switches, fans and players off, covers closed, locks locked,
vacuums docked, contacts and motion clear. So a whole-home question ("how many lights are
on?", "is any window open?") and an "all" command ("lock all the doors") keep the answer
the dataset gives; thermostats and sensors keep the donor's values.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

from bench.assist_dataset import FIXTURES, Home, find_homes, load_home, load_yaml

PREFIXES = ("Annex", "Barn", "Cabin", "Loft", "Studio", "Guest", "Pool", "Workshop", "Lodge")
NOT_COPIED = frozenset({"script", "todo"})
# The state of a distractor at rest, by domain, and the attributes of an active device
# that such a state drops.
AT_REST = {
    "light": "off",
    "switch": "off",
    "fan": "off",
    "input_boolean": "off",
    "media_player": "off",
    "cover": "closed",
    "valve": "closed",
    "lock": "locked",
    "vacuum": "docked",
    "binary_sensor": "off",
}
ACTIVE_ATTRIBUTES = frozenset(
    {"brightness", "rgb_color", "percentage", "media_title", "media_track", "current_position"}
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def _copies(donors: Sequence[Home]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(new area name, prefix, entity entry) of every donor entity, prefix by prefix."""
    for prefix in PREFIXES:
        for donor in donors:
            for entity in donor.entities:
                if entity.domain in NOT_COPIED:
                    continue
                area = donor.area_of(entity) or "Outbuilding"
                entry = _at_rest(entity.domain, entity.state, dict(entity.attributes))
                entry = {"name": f"{prefix} {entity.name}", **entry}
                yield f"{prefix} {area}", entity.domain, entry


def _at_rest(domain: str, state: Any, attributes: dict[str, Any]) -> dict[str, Any]:
    """State and attributes of a copied device, at rest when its domain has a rest state."""
    if (rest := AT_REST.get(domain)) is None:
        return {"state": state, "attributes": attributes}
    kept = {key: value for key, value in attributes.items() if key not in ACTIVE_ATTRIBUTES}
    if domain == "cover" and "current_position" in attributes:
        kept["current_position"] = 0
    return {"state": rest, "attributes": kept}


def grown_fixtures(home: Home, donors: Sequence[Home], size: int) -> dict[str, Any]:
    """The fixtures of `home` grown to `size` entities with copies of the donors'."""
    data = load_yaml(home.path / FIXTURES)
    areas: list[dict[str, Any]] = list(data.get("areas") or [])
    entities: list[dict[str, Any]] = list(data.get("entities") or [])
    taken = {str(entry["id"]) for entry in entities}
    area_ids = {str(area["id"]) for area in areas}
    for area_name, domain, entry in _copies([d for d in donors if d.name != home.name]):
        if len(entities) >= size:
            break
        entity_id = f"{domain}.{_slug(entry['name'])}"
        if entity_id in taken:
            continue
        area_id = _slug(area_name)
        if area_id not in area_ids:
            areas.append({"name": area_name, "id": area_id})
            area_ids.add(area_id)
        entities.append({**entry, "id": entity_id, "area": area_id})
        taken.add(entity_id)
    if len(entities) < size:
        raise ValueError(f"{home.name}: the other homes give only {len(entities)} entities")
    return {**data, "areas": areas, "entities": entities}


def grow(home_dir: Path, donor_dirs: Sequence[Path], size: int, out: Path) -> Path:
    """Write `out/<home>` with the grown fixtures and the home's own test files."""
    home = load_home(home_dir)
    donors = [load_home(path) for path in donor_dirs if path.resolve() != home_dir.resolve()]
    target = out / home.name
    target.mkdir(parents=True, exist_ok=True)
    fixtures = grown_fixtures(home, donors, size)
    (target / FIXTURES).write_text(
        yaml.safe_dump(fixtures, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    for test_file in sorted(home_dir.glob("*.yaml")):
        if test_file.name != FIXTURES:
            shutil.copyfile(test_file, target / test_file.name)
    return target


def main(argv: list[str] | None = None) -> int:
    """Grow each home given to `--to` entities with copies of the other homes' devices."""
    root = Path(__file__).resolve().parent / "datasets"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("homes", type=Path, nargs="+", help="home directories to grow")
    parser.add_argument("--to", type=int, required=True, help="entities of each grown home")
    parser.add_argument("--donors", type=Path, default=root, help="homes to copy devices from")
    parser.add_argument("--out", type=Path, required=True, help="directory for the grown homes")
    args = parser.parse_args(argv)
    donors = find_homes(args.donors.resolve())
    for home_dir in args.homes:
        target = grow(home_dir, donors, args.to, args.out)
        print(f"{target}: {args.to} entities")
    return 0


if __name__ == "__main__":
    sys.exit(main())

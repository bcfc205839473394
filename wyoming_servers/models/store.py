"""The model cache directory: where models live and how they get there safely.

A model is visible to servers only once it is complete: sources assemble it in a private
staging directory, every file is hashed, and the directory is renamed into place in one
step. An interrupted fetch therefore leaves nothing a server would load.
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from wyoming_shared.model_catalog import ModelFile, ModelSpec
from wyoming_shared.model_paths import (
    MANIFEST,
    MODEL_DIR_ENV,
    ModelPaths,
    ModelStoreError,
    spec_for,
)

CHUNK = 1 << 20


@dataclass(frozen=True)
class HashMismatch:
    """A fetched file whose sha256 is not the pinned one."""

    model: str
    file: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return (
            f"{self.model}: {self.file} is corrupt (sha256 expected {self.expected}, "
            f"got {self.actual}); run 'hybrid-voice-models fetch {self.model} --force'"
        )


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def no_space_error(where: Path, needed: int) -> ModelStoreError:
    """The error for a full disk, saying how much is needed and where to put the cache instead."""
    return ModelStoreError(
        f"no space left on the device holding {where}: {needed // 2**20} MB are needed; "
        f"free some space or set {MODEL_DIR_ENV} to a directory on a larger disk"
    )


class ModelStore(ModelPaths):
    """Complete models under one cache directory, one sub-directory per model."""

    def verify(self, name: str) -> list[HashMismatch]:
        """Re-hash every file of a fetched model against the pinned sha256."""
        self.path(name)  # presence and sizes
        directory = self.model_dir(name)
        problems = []
        for model_file in spec_for(name).files:
            actual = sha256_of(directory / model_file.name)
            if actual != model_file.sha256:
                problems.append(HashMismatch(name, model_file.name, model_file.sha256, actual))
        return problems

    def remove(self, name: str) -> None:
        """Delete a model's directory (nothing happens if it is absent)."""
        shutil.rmtree(self.model_dir(name), ignore_errors=True)

    def ensure_writable(self) -> None:
        """Create the cache directory and check a file can be written there."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=".write-test-"):
                pass
        except OSError as err:
            raise ModelStoreError(
                f"cannot write to the model cache {self.root} ({err.strerror}); fix its "
                f"permissions or set {MODEL_DIR_ENV} to a writable directory"
            ) from None

    def ensure_space(self, needed: int) -> None:
        """Raise if the cache's disk has fewer than `needed` bytes free."""
        free = shutil.disk_usage(self.root).free
        if free < needed:
            raise no_space_error(self.root, needed)

    def work_dir(self, kind: str, name: str) -> Path:
        """A private directory for downloads or wheels that survives interruptions."""
        directory = self.root / f".{kind}" / name
        directory.mkdir(parents=True, exist_ok=True)
        return directory

    @contextmanager
    def staging(self, spec: ModelSpec, source: str) -> Iterator[Path]:
        """Yield an empty directory; on success, check it and move it into place.

        Sources hash every file as they write it (HashingWriter), so only presence and
        sizes are checked here.
        """
        self.ensure_writable()
        staging_root = self.root / ".staging"
        staging_root.mkdir(exist_ok=True)
        directory = Path(tempfile.mkdtemp(prefix=f"{spec.name}-", dir=staging_root))
        try:
            yield directory
            self._check_staged(spec, directory)
            (directory / MANIFEST).write_text(
                json.dumps(
                    {
                        "name": spec.name,
                        "source": source,
                        "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "files": {f.name: f.sha256 for f in spec.files},
                    },
                    indent=2,
                )
            )
            self.remove(spec.name)
            directory.rename(self.model_dir(spec.name))
        except OSError as err:
            if err.errno == errno.ENOSPC:
                raise no_space_error(self.root, spec.size) from None
            raise
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    @staticmethod
    def _check_staged(spec: ModelSpec, directory: Path) -> None:
        for model_file in spec.files:
            staged = directory / model_file.name
            if not staged.is_file() or staged.stat().st_size != model_file.size:
                raise ModelStoreError(f"{spec.name}: {model_file.name} was not assembled")


class HashingWriter:
    """Write a file while hashing it; raise ModelStoreError when the hash is wrong."""

    def __init__(self, path: Path, model: str, model_file: ModelFile) -> None:
        self.path = path
        self.model = model
        self.model_file = model_file
        self.digest = hashlib.sha256()
        self.stream = path.open("wb")

    def __enter__(self) -> HashingWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stream.close()

    def write(self, block: bytes) -> None:
        """Write a block to the file and the hash."""
        self.stream.write(block)
        self.digest.update(block)

    def finish(self) -> None:
        """Close the file; raise if its hash is not the pinned one."""
        self.stream.close()
        actual = self.digest.hexdigest()
        if actual != self.model_file.sha256:
            raise ModelStoreError(
                f"{self.model}: {self.model_file.name} arrived corrupt (sha256 expected "
                f"{self.model_file.sha256}, got {actual}); nothing was installed, the source "
                "is damaged: try again later or use the other --source"
            )

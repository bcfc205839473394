"""Where fetched models live, and a model name resolved to the path a program loads.

The fetching and checking side (sources, staging, hashing) is the servers' model store;
this module only reads the cache directory, so the satellite can use it too.
"""

from __future__ import annotations

import os
from pathlib import Path

from .model_catalog import CATALOG, ModelSpec

MODEL_DIR_ENV = "HYBRID_VOICE_MODEL_DIR"
MANIFEST = "hybrid-voice-model.json"


class ModelStoreError(Exception):
    """A problem the user can act on; the message says what to do."""


def default_cache_dir() -> Path:
    """The cache directory: $HYBRID_VOICE_MODEL_DIR, else the XDG cache's hybrid_voice/models."""
    if override := os.environ.get(MODEL_DIR_ENV):
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "hybrid_voice" / "models"


def spec_for(name: str) -> ModelSpec:
    """The catalog entry of a model name; ModelStoreError lists the known names."""
    try:
        return CATALOG[name]
    except KeyError:
        known = ", ".join(CATALOG)
        raise ModelStoreError(f"unknown model '{name}'; known models: {known}") from None


class ModelPaths:
    """Read-only view of the complete models under one cache directory."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or default_cache_dir()).expanduser().absolute()

    def model_dir(self, name: str) -> Path:
        """The directory a model has (or would have) in the cache."""
        return self.root / spec_for(name).name

    def is_fetched(self, name: str) -> bool:
        """Whether the model was completely fetched (its manifest exists)."""
        return (self.model_dir(name) / MANIFEST).is_file()

    def path(self, name: str) -> Path:
        """Where a program loads the model from; raises if absent or incomplete."""
        spec = spec_for(name)
        directory = self.model_dir(name)
        if not self.is_fetched(name):
            raise ModelStoreError(
                f"model '{name}' is not in {self.root}; run 'hybrid-voice-models fetch {name}'"
            )
        for model_file in spec.files:
            file_path = directory / model_file.name
            if not file_path.is_file() or file_path.stat().st_size != model_file.size:
                raise ModelStoreError(
                    f"model '{name}' is damaged ({model_file.name} is missing or has the wrong "
                    f"size); run 'hybrid-voice-models fetch {name} --force'"
                )
        return directory / spec.entry if spec.entry else directory


def resolve_model(name_or_path: str, models: ModelPaths | None = None) -> Path:
    """A catalog name becomes its path in the cache; an existing path is used as is."""
    if name_or_path in CATALOG:
        return (models or ModelPaths()).path(name_or_path)
    candidate = Path(name_or_path).expanduser()
    if candidate.exists():
        return candidate
    raise ModelStoreError(
        f"'{name_or_path}' is neither a model name ({', '.join(CATALOG)}) nor an existing path"
    )

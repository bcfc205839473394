"""The offline model store shared by the servers and the satellite."""

from __future__ import annotations

from pathlib import Path

from .catalog import CATALOG, ModelSpec
from .store import ModelStore, ModelStoreError


def resolve_model(name_or_path: str, store: ModelStore | None = None) -> Path:
    """A catalog name becomes its path in the store; an existing path is used as is."""
    if name_or_path in CATALOG:
        return (store or ModelStore()).path(name_or_path)
    candidate = Path(name_or_path).expanduser()
    if candidate.exists():
        return candidate
    raise ModelStoreError(
        f"'{name_or_path}' is neither a model name ({', '.join(CATALOG)}) nor an existing path"
    )


__all__ = ["CATALOG", "ModelSpec", "ModelStore", "ModelStoreError", "resolve_model"]

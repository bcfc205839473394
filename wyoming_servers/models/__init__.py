"""The offline model store: fetches catalog models into the cache and checks them."""

from __future__ import annotations

from .store import ModelStore

__all__ = ["ModelStore"]

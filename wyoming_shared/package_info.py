"""Versions of installed packages, as the services report them in their `info`."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def package_version(package: str = "hybrid-voice") -> str | None:
    """The installed version of `package` (default: ours); None when it is not installed."""
    try:
        return version(package)
    except PackageNotFoundError:
        return None

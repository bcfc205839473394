"""A Pi install (`pip install .[satellite]`) has everything the satellite imports.

Walks the source of the satellite and of the shared Wyoming package it uses: neither may
import the servers' package, and every third-party module they import must come from the
project's base dependencies or its `satellite` extra (no faster-whisper, piper, llama.cpp).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib

from tests.servers import ROOT

SATELLITE_SIDE = ("satellite", "wyoming_shared")


def imported_modules(package: str) -> dict[str, set[str]]:
    """Top-level module name -> the files of `package` that import it (absolute imports)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def satellite_distributions() -> set[str]:
    """Import names of the base dependencies plus the `satellite` extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["satellite"]]
    return {re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0].replace("-", "_") for req in requirements}


def test_satellite_side_never_imports_the_servers_package() -> None:
    for package in SATELLITE_SIDE:
        assert imported_modules(package).get("wyoming_servers", set()) == set(), package


def test_satellite_side_imports_only_what_a_pi_install_pulls() -> None:
    allowed = satellite_distributions() | set(SATELLITE_SIDE) | set(sys.stdlib_module_names)
    for package in SATELLITE_SIDE:
        modules = imported_modules(package)
        assert modules, f"no imports found in {package}"
        outside = {name: files for name, files in modules.items() if name not in allowed}
        assert outside == {}, f"{package} imports modules a Pi install lacks: {outside}"


def test_a_server_dependency_would_be_caught() -> None:
    assert "faster_whisper" not in satellite_distributions()
    assert "numpy" in satellite_distributions()
    assert "wyoming_servers" in imported_modules("wyoming_servers")

"""Where the tests find the servers' virtual environment and its console scripts."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def servers_bin() -> Path:
    """The bin directory of the servers' environment (script/test exports it)."""
    return Path(os.environ.get("HYBRID_VOICE_SERVERS_BIN", ROOT / ".venv" / "servers" / "bin"))


def console_script(name: str) -> str:
    path = servers_bin() / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run script/setup")
    return str(path)

"""Run `hybrid-voice-models` from the servers' environment, as a user would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.servers import console_script


def models_cli(
    *args: str,
    cache: Path | None = None,
    env: dict[str, str] | None = None,
    wrapper: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    if cache is not None:
        environment["HYBRID_VOICE_MODEL_DIR"] = str(cache)
    return subprocess.run(
        [*wrapper, console_script("hybrid-voice-models"), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        check=False,
    )


def user_model_dir(name: str) -> Path:
    """A model the set-up fetched into the user's cache (used as the source of truth)."""
    result = models_cli("path", name, cache=None)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    return path if path.is_dir() else path.parent

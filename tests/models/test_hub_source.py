"""The hub source against a local HTTP server serving the real model files."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.models.cli import models_cli, user_model_dir
from tests.models.hub_server import HubBehaviour, LocalHub
from tests.servers import console_script

NAME = "whisper-tiny.en"


@pytest.fixture
def hub(socket_enabled: None) -> Iterator[LocalHub]:
    with LocalHub(HubBehaviour(files=user_model_dir(NAME))) as local_hub:
        yield local_hub


def fetch_from(hub: LocalHub, cache: Path) -> subprocess.CompletedProcess[str]:
    return models_cli("fetch", NAME, "--source", "hub", "--mirror", hub.url, "--quiet", cache=cache)


def test_fetch_from_hub(hub: LocalHub, tmp_path: Path) -> None:
    result = fetch_from(hub, tmp_path)
    assert result.returncode == 0, result.stderr
    assert models_cli("verify", NAME, cache=tmp_path).returncode == 0
    assert not (tmp_path / ".downloads" / NAME).exists()


def test_resumed_download(hub: LocalHub, tmp_path: Path) -> None:
    hub.behaviour.cut_once_after["model.bin"] = 5_000_000
    first = fetch_from(hub, tmp_path)
    assert first.returncode == 1
    assert "run the same command again to resume" in first.stderr
    assert models_cli("path", NAME, cache=tmp_path).returncode == 1
    partial = tmp_path / ".downloads" / NAME / "model.bin.part"
    assert partial.stat().st_size == 5_000_000

    second = fetch_from(hub, tmp_path)
    assert second.returncode == 0, second.stderr
    assert hub.behaviour.ranges_seen == ["model.bin bytes=5000000-"]
    assert models_cli("verify", NAME, cache=tmp_path).returncode == 0


def test_hash_mismatch_installs_nothing(hub: LocalHub, tmp_path: Path) -> None:
    hub.behaviour.corrupt.add("model.bin")
    result = fetch_from(hub, tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert f"{NAME}: model.bin arrived corrupt" in line
    assert "expected 1a5afae0" in line
    assert not (tmp_path / NAME).exists()
    assert not (tmp_path / ".downloads" / NAME / "model.bin.part").exists()


def test_killed_fetch_leaves_nothing_loadable(hub: LocalHub, tmp_path: Path) -> None:
    hub.behaviour.stall_after["model.bin"] = 3_000_000
    env_cache = {"HYBRID_VOICE_MODEL_DIR": str(tmp_path)}
    process = subprocess.Popen(
        [
            console_script("hybrid-voice-models"),
            "fetch",
            NAME,
            "--source",
            "hub",
            "--mirror",
            hub.url,
            "--quiet",
        ],
        env={**os.environ, **env_cache},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    partial = tmp_path / ".downloads" / NAME / "model.bin.part"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not partial.exists() or partial.stat().st_size == 0):
        time.sleep(0.05)
    process.kill()
    process.wait()
    assert partial.stat().st_size > 0
    assert not (tmp_path / NAME).exists()
    path = models_cli("path", NAME, cache=tmp_path)
    assert path.returncode == 1
    assert "not in" in path.stderr

    del hub.behaviour.stall_after["model.bin"]
    resumed = fetch_from(hub, tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert any(seen.startswith("model.bin bytes=") for seen in hub.behaviour.ranges_seen)
    assert models_cli("verify", NAME, cache=tmp_path).returncode == 0

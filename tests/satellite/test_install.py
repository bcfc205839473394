"""The Raspberry Pi installer.

Shellcheck-clean, and its dry run writes a valid systemd unit and a config file the
satellite starts with.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.servers import ROOT, running_server

from .peer import describe

INSTALLER = ROOT / "satellite" / "install.sh"


def dry_run(tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    root = tmp_path / "root"
    prefix = root / "opt" / "hybrid-voice-satellite"
    result = subprocess.run(
        [
            "bash",
            str(INSTALLER),
            "--dry-run",
            "--root",
            str(root),
            "--prefix",
            str(prefix),
            "--yes",
            "--user",
            "root",
            "--name",
            'Kitchen "Pi"',
            "--area",
            "Kitchen",
            "--wake-word",
            "hey_jarvis",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result, root


def test_installer_is_shellcheck_clean() -> None:
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    result = subprocess.run(
        ["shellcheck", str(INSTALLER)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_dry_run_changes_nothing_and_writes_a_valid_unit(tmp_path: Path) -> None:
    result, root = dry_run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "would run: systemctl enable --now hybrid-voice-satellite.service" in result.stdout
    unit = root / "etc" / "systemd" / "system" / "hybrid-voice-satellite.service"
    text = unit.read_text()
    assert "--config /etc/hybrid-voice-satellite.toml" in text
    assert "@USER@" not in text
    assert "@PREFIX@" not in text
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    program = root / "opt" / "hybrid-voice-satellite" / "venv" / "bin" / "hybrid-voice-satellite"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    verify = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert verify.returncode == 0, verify.stderr


async def test_written_config_starts_the_satellite(socket_enabled: None, tmp_path: Path) -> None:
    result, root = dry_run(tmp_path)
    assert result.returncode == 0, result.stderr
    config = root / "etc" / "hybrid-voice-satellite.toml"
    with running_server(
        "hybrid-voice-satellite", "--config", str(config), log_dir=tmp_path
    ) as satellite:
        info = await describe(satellite.port)
    assert info.satellite is not None
    assert (info.satellite.name, info.satellite.area) == ('Kitchen "Pi"', "Kitchen")
    assert [m.name for program in info.wake for m in program.models] == ["hey_jarvis"]

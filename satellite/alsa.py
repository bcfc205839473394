"""ALSA through `arecord`/`aplay` from alsa-utils.

Why processes instead of a Python binding: alsa-utils is on every Raspberry Pi OS image,
so nothing has to be compiled on the Pi; a device that disappears only ends a child
process, which the satellite logs and restarts; and stopping playback for barge-in is
killing `aplay`, which is immediate. Device names are the ones `arecord -L`/`aplay -L`
print (e.g. `plughw:CARD=Device,DEV=0`); `plughw:` devices convert rate and channels
in ALSA, and the satellite resamples to 16 kHz mono itself in any case.
"""

from __future__ import annotations

import shutil
import subprocess

from wyoming_shared.audio import PcmFormat

_SAMPLE_FORMATS = {1: "U8", 2: "S16_LE", 3: "S24_3LE", 4: "S32_LE"}


class ToolMissing(FileNotFoundError):
    """alsa-utils is not installed."""


def require_tool(name: str) -> str:
    """The path of an alsa-utils program; ToolMissing says how to install it."""
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} not found: install alsa-utils (sudo apt-get install alsa-utils)")
    return path


def _format_args(fmt: PcmFormat) -> list[str]:
    return [
        "-t",
        "raw",
        "-f",
        _SAMPLE_FORMATS[fmt.width],
        "-r",
        str(fmt.rate),
        "-c",
        str(fmt.channels),
    ]


def arecord_command(tool: str, device: str, fmt: PcmFormat) -> list[str]:
    """The `arecord` command that captures raw PCM of `fmt` from a device to stdout."""
    return [tool, "-q", "-D", device, *_format_args(fmt)]


def aplay_command(tool: str, device: str, fmt: PcmFormat) -> list[str]:
    """The `aplay` command that plays raw PCM of `fmt` from stdin on a device."""
    return [tool, "-q", "-D", device, *_format_args(fmt)]


def parse_device_list(text: str) -> list[tuple[str, str]]:
    """`arecord -L` output as (name, description) pairs."""
    devices: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line[0].isspace():
            if devices and not devices[-1][1]:
                devices[-1] = (devices[-1][0], line.strip())
            continue
        devices.append((line.strip(), ""))
    return devices


def list_devices() -> str:
    """Readable list of capture and playback devices for `--list-devices`."""
    sections = []
    for tool, title, flag in (
        ("arecord", "Microphones", "--mic-device"),
        ("aplay", "Speakers", "--snd-device"),
    ):
        try:
            output = subprocess.run(
                [require_tool(tool), "-L"], capture_output=True, text=True, check=False, timeout=10
            ).stdout
        except (ToolMissing, subprocess.TimeoutExpired) as err:
            sections.append(f"{title}: {err}")
            continue
        devices = [d for d in parse_device_list(output) if d[0] != "null"]
        lines = [f"{title} (use with {flag}):"]
        lines += [f"  {name:<40} {description}" for name, description in devices] or ["  none"]
        sections.append("\n".join(lines))
    return "\n\n".join(sections)

"""Command line and config file of `hybrid-voice-satellite`.

Every flag can also be set in a TOML file given with `--config`, under the flag's name
without dashes in front (`mic-device = "plughw:CARD=Device,DEV=0"`); flags on the
command line win over the file.
"""

from __future__ import annotations

import argparse
import socket
import tomllib
from pathlib import Path
from typing import Any

from wyoming_shared.package_info import package_version
from wyoming_shared.service import add_service_args

from .hooks import HOOK_EVENTS
from .sounds import SOUND_NAMES
from .wake import BUILTIN_WAKE_WORDS

DEFAULT_URI = "tcp://0.0.0.0:10700"
SERVICE_NAME = "hybrid-voice-satellite"
DEFAULT_WAKE_WORD = "okay_nabu"


def build_parser() -> argparse.ArgumentParser:
    """The command line of `hybrid-voice-satellite`."""
    parser = argparse.ArgumentParser(
        prog="hybrid-voice-satellite",
        description="Voice satellite for Home Assistant: local wake word, Wyoming protocol.",
    )
    add_service_args(parser, DEFAULT_URI, SERVICE_NAME)
    parser.add_argument("--config", type=Path, help="TOML file with flag values")
    parser.add_argument("--version", action="version", version=package_version() or "unknown")
    parser.add_argument("--name", default=socket.gethostname(), help="name shown in Home Assistant")
    parser.add_argument("--area", help="area suggested to Home Assistant, e.g. Kitchen")

    mic = parser.add_argument_group("microphone")
    mic.add_argument("--mic-device", help="ALSA capture device (see --list-devices)")
    mic.add_argument(
        "--mic-file",
        metavar="PATH",
        help="WAV (or raw) file played as the microphone, '-' for stdin, or a named pipe",
    )
    mic.add_argument("--mic-rate", type=int, default=16000, help="rate of device/raw input")
    mic.add_argument("--mic-channels", type=int, default=1, help="channels of device/raw input")
    mic.add_argument(
        "--mic-chunk-samples", type=int, default=512, help="16 kHz samples per chunk sent"
    )
    mic.add_argument(
        "--list-devices", action="store_true", help="list ALSA microphones and speakers, exit"
    )

    snd = parser.add_argument_group("speaker")
    snd.add_argument("--snd-device", help="ALSA playback device (see --list-devices)")
    snd.add_argument(
        "--snd-file",
        metavar="PATH",
        help="write spoken replies to this WAV; a directory gets every sound as numbered "
        "WAVs; '-' writes raw 16-bit mono PCM to stdout",
    )
    snd.add_argument("--snd-rate", type=int, default=22050, help="sample rate of stdout output")

    wake = parser.add_argument_group("wake word")
    wake.add_argument(
        "--wake-word",
        action="append",
        metavar="NAME_OR_JSON",
        help=f"{', '.join(BUILTIN_WAKE_WORDS)} or a microWakeWord .json; repeatable "
        f"(default {DEFAULT_WAKE_WORD})",
    )
    wake.add_argument(
        "--wake-threshold", type=float, help="detection probability cutoff, 0-1 (default: model's)"
    )
    wake.add_argument(
        "--wake-refractory-seconds",
        type=float,
        default=2.0,
        help="ignore further detections for this long after one",
    )
    wake.add_argument(
        "--barge-in",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the wake word stops a reply and starts a new turn",
    )
    wake.add_argument(
        "--max-command-seconds",
        type=float,
        default=15.0,
        help="stop streaming if Home Assistant has no transcript after this long",
    )

    feedback = parser.add_argument_group("feedback")
    feedback.add_argument(
        "--sounds",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="play awake/done/error/timer sounds",
    )
    for name in SOUND_NAMES:
        feedback.add_argument(f"--{name}-wav", metavar="WAV", help=f"replace the {name} sound")
    for event in HOOK_EVENTS:
        feedback.add_argument(
            f"--on-{event}", metavar="CMD", help=f"shell command run on '{event}'"
        )
    return parser


def load_config(path: Path, parser: argparse.ArgumentParser) -> dict[str, Any]:
    """Flag values from a TOML file, by argparse destination."""
    try:
        with path.open("rb") as config_file:
            raw = tomllib.load(config_file)
    except (OSError, tomllib.TOMLDecodeError) as err:
        parser.error(f"cannot read config {path}: {err}")
    known = {action.dest for action in parser._actions}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        dest = key.removeprefix("--").replace("-", "_")
        if dest not in known or dest in {"config", "help", "version"}:
            parser.error(f"{path}: unknown setting '{key}'")
        values[dest] = [value] if dest == "wake_word" and isinstance(value, str) else value
    return values


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Flags, with settings from --config filling those not given; exits on conflicts."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.config is not None:
        for dest, value in load_config(args.config, parser).items():
            if getattr(args, dest) == parser.get_default(dest):
                setattr(args, dest, value)
    if args.mic_file and args.mic_device:
        parser.error("use --mic-file or --mic-device, not both")
    if args.snd_file and args.snd_device:
        parser.error("use --snd-file or --snd-device, not both")
    args.wake_word = args.wake_word or [DEFAULT_WAKE_WORD]
    if args.zeroconf == SERVICE_NAME:
        args.zeroconf = args.name  # one name per satellite in the house
    return args

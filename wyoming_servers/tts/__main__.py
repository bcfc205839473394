"""Command line: `hybrid-voice-tts --uri tcp://0.0.0.0:10200 --voice piper-en_US-joe-medium`."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from functools import partial

from wyoming_shared.cpu_budget import AUTO, available_cpus, thread_budget
from wyoming_shared.model_paths import ModelStoreError
from wyoming_shared.package_info import package_version
from wyoming_shared.service import (
    add_idle_timeout_arg,
    add_service_args,
    configure_logging,
    positive_int,
    run_service,
)

from .describe import build_info
from .handler import TtsEventHandler, TtsSettings
from .request_slots import RequestSlots
from .synthesizer import Synthesizer
from .voices import Tuning, Voice, VoiceError, VoiceShelf, load_voice

_LOGGER = logging.getLogger(__name__)

DEFAULT_URI = "tcp://0.0.0.0:10200"
DEFAULT_VOICE = "piper-en_US-joe-medium"
EXIT_BAD_SETTINGS = 2  # like argparse: restarting will not help


def build_parser() -> argparse.ArgumentParser:
    """The command line of `hybrid-voice-tts`."""
    parser = argparse.ArgumentParser(
        prog="hybrid-voice-tts",
        description="Wyoming text-to-speech server with piper voices, for Home Assistant.",
    )
    add_service_args(parser, DEFAULT_URI, "hybrid-voice-tts")
    parser.add_argument(
        "--voice",
        action="append",
        metavar="NAME_OR_PATH",
        help=f"voice from the model store or path to an .onnx voice; repeat for more "
        f"voices, the first is the default (default: {DEFAULT_VOICE})",
    )
    parser.add_argument("--speaker", help="speaker name or id for the default voice")
    parser.add_argument("--length-scale", type=float, help="speaking pace (> 1 is slower)")
    parser.add_argument("--noise-scale", type=float, help="generator noise")
    parser.add_argument("--noise-w-scale", type=float, help="phoneme width noise")
    parser.add_argument(
        "--threads",
        type=thread_budget,
        default=AUTO,
        metavar="auto|N",
        help="CPU threads the voice may use: each piece of a reply runs on up to N threads, "
        "and up to N pieces of different requests run at once, a second one only while "
        "other processes (speech-to-text, the local model) leave the CPUs free "
        f"(default {AUTO}: every CPU this process may use, here {available_cpus()})",
    )
    parser.add_argument(
        "--samples-per-chunk", type=int, default=1024, help="audio samples per audio-chunk event"
    )
    parser.add_argument(
        "--short-first-piece",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="speak the first phrase of a reply on its own so audio starts sooner",
    )
    parser.add_argument(
        "--max-piece-chars",
        type=int,
        default=110,
        help="longest text synthesized in one go; longer sentences are cut at a clause "
        "(memory use grows with it, by about 24 MB per second of speech)",
    )
    parser.add_argument(
        "--max-text-chars",
        type=positive_int,
        default=100_000,
        help="longest text of one request, whole or streamed; a longer one gets an error "
        "and is not spoken further (default 100000)",
    )
    parser.add_argument(
        "--max-requests",
        type=positive_int,
        default=32,
        help="requests spoken at the same time, taking turns piece by piece; more are "
        "refused at once with a 'busy' error (default 32, as the STT server's "
        "--max-waiting)",
    )
    add_idle_timeout_arg(parser)
    parser.add_argument("--version", action="version", version=package_version() or "unknown")
    return parser


def load_voices(args: argparse.Namespace) -> list[Voice]:
    """Load the voices the flags name (default voice when none), each with the flags' tuning."""
    tuning = Tuning(args.length_scale, args.noise_scale, args.noise_w_scale, args.threads)
    voices = []
    for index, name in enumerate(args.voice or [DEFAULT_VOICE]):
        began = time.monotonic()
        voice = load_voice(name, tuning, args.speaker if index == 0 else None)
        _LOGGER.info(
            "loaded voice %s (%s, %d Hz) in %.1f s",
            voice.name,
            voice.language,
            voice.sample_rate,
            time.monotonic() - began,
        )
        voices.append(voice)
    return voices


def main() -> None:
    """Run `hybrid-voice-tts` until SIGTERM; exit with a message if a voice cannot load."""
    args = build_parser().parse_args()
    configure_logging(args)
    try:
        voices = load_voices(args)
    except (ModelStoreError, VoiceError, OSError) as err:
        print(f"hybrid-voice-tts: {err}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_SETTINGS) from None
    synthesizer = Synthesizer(args.threads)
    _LOGGER.info("synthesis on up to %d CPU threads", args.threads)
    for voice in voices:
        synthesizer.warm_up(voice)
    shelf = VoiceShelf(voices)
    settings = TtsSettings(
        shelf=shelf,
        synthesizer=synthesizer,
        info=build_info(shelf).event(),
        samples_per_chunk=max(64, args.samples_per_chunk),
        short_first_piece=args.short_first_piece,
        max_piece_chars=max(40, args.max_piece_chars),
        max_text_chars=args.max_text_chars,
        idle_timeout=args.idle_timeout,
        slots=RequestSlots(args.max_requests),
    )
    try:
        run_service(args, partial(TtsEventHandler, settings))
    finally:
        synthesizer.close()


if __name__ == "__main__":
    main()

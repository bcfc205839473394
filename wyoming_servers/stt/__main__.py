"""hybrid-voice-stt: the Wyoming speech-to-text server (faster-whisper)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from functools import partial
from typing import NoReturn

from wyoming_shared.model_paths import ModelStoreError, resolve_model
from wyoming_shared.service import (
    add_idle_timeout_arg,
    add_service_args,
    configure_logging,
    positive_float,
    positive_int,
    run_service,
)

from .decode_queue import DecodeQueue
from .handler import SttEventHandler, SttService
from .info import PROGRAM_NAME, build_info
from .transcriber import DEFAULT_MIN_WINDOW, WhisperTranscriber

_LOGGER = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """The command line of `hybrid-voice-stt`."""
    parser = argparse.ArgumentParser(prog="hybrid-voice-stt", description=__doc__)
    add_service_args(parser, "tcp://0.0.0.0:10300", PROGRAM_NAME)
    parser.add_argument(
        "--model",
        default="whisper-tiny.en",
        help="model name from the store (whisper-tiny.en, whisper-base) or a CTranslate2 "
        "Whisper model directory",
    )
    parser.add_argument(
        "--language",
        default="auto",
        help="language spoken, or 'auto' to detect it (multilingual models; default auto)",
    )
    parser.add_argument(
        "--threads",
        type=positive_int,
        default=min(os.cpu_count() or 1, 4),
        help="CPU threads per decode (default: cores, at most 4)",
    )
    parser.add_argument(
        "--min-window",
        type=positive_float,
        default=DEFAULT_MIN_WINDOW,
        help="shortest audio window Whisper decodes, in seconds (default 10): shorter is "
        "faster; 30 gives every decode Whisper's full 30 s window",
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        help="decodes that run at the same time (default 1)",
    )
    parser.add_argument(
        "--max-waiting",
        type=positive_int,
        default=32,
        help="requests that may wait for the model before new ones are refused (default 32)",
    )
    parser.add_argument(
        "--timeout",
        type=positive_float,
        default=30.0,
        help="seconds a request may wait for its transcript before it fails (default 30)",
    )
    parser.add_argument(
        "--max-seconds",
        type=positive_float,
        default=60.0,
        help="longest utterance accepted, in seconds (default 60)",
    )
    add_idle_timeout_arg(parser)
    return parser


def fail(message: str) -> NoReturn:
    """One line on stderr, exit status 2: wrong settings, restarting will not help."""
    print(f"hybrid-voice-stt: {message}", file=sys.stderr)
    raise SystemExit(2)


def main() -> None:
    """Run `hybrid-voice-stt` until SIGTERM; exit with a message if the model cannot load."""
    args = build_parser().parse_args()
    configure_logging(args)
    try:
        model_dir = resolve_model(args.model)
        transcriber = WhisperTranscriber(
            model_dir, args.threads, workers=args.workers, min_window=args.min_window
        )
    except ModelStoreError as err:
        fail(str(err))
    except (RuntimeError, ValueError, OSError) as err:
        fail(f"cannot load a Whisper model from {args.model}: {err}")
    language = None if args.language == "auto" else args.language
    if language is not None and language not in transcriber.languages:
        fail(f"model {transcriber.name} has no language '{language}'")
    _LOGGER.info(
        "loaded %s (%s), %d threads, %d workers",
        transcriber.name,
        language or "language detection" if transcriber.multilingual else "English",
        args.threads,
        args.workers,
    )
    service = SttService(
        queue=DecodeQueue(transcriber, workers=args.workers, max_waiting=args.max_waiting),
        info=build_info(transcriber.name, transcriber.languages),
        language=language,
        max_seconds=args.max_seconds,
        timeout=args.timeout,
        idle_timeout=args.idle_timeout,
    )
    run_service(args, partial(SttEventHandler, service=service))


if __name__ == "__main__":
    main()

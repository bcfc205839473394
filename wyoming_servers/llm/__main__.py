"""Entry point of `hybrid-voice-llm`."""

from __future__ import annotations

import asyncio
import logging
import sys

from wyoming_shared.service import configure_logging

from .settings import PROG, SettingsError, build_parser, settings_from_args


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, then serve until stopped; exit 2 for bad settings."""
    args = build_parser().parse_args(argv)
    configure_logging(args)
    # uvicorn logs through our handler; its per-request lines only when debugging.
    logging.getLogger("uvicorn.access").setLevel(logging.INFO if args.debug else logging.WARNING)
    try:
        settings = settings_from_args(args)
    except SettingsError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        sys.exit(2)

    from .runner import StartupError, serve

    try:
        code = asyncio.run(serve(settings, args.debug))
    except StartupError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        sys.exit(1)
    sys.exit(code)


if __name__ == "__main__":
    main()

"""`hybrid-voice-satellite`: run the satellite until SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from functools import partial

from wyoming_shared.audio import AudioFormatError, PcmFormat
from wyoming_shared.service import configure_logging, serve

from .alsa import list_devices
from .cli import parse_args
from .connection import HomeAssistantConnection
from .core import Satellite, SatelliteOptions
from .hooks import HOOK_EVENTS, EventHooks
from .microphone import Microphone, open_source
from .sounds import SOUND_NAMES, load_sounds
from .speaker import open_speaker
from .wake import WakeWordDetector, WakeWordError

_LOGGER = logging.getLogger("satellite")


def build_satellite(args: argparse.Namespace) -> Satellite:
    """The satellite the flags describe: microphone, wake words, speaker, sounds, hooks."""
    raw_format = PcmFormat(args.mic_rate, 2, args.mic_channels)
    source = open_source(args.mic_file, args.mic_device, raw_format)
    microphone = Microphone(source, args.mic_chunk_samples) if source else None
    detector = WakeWordDetector(args.wake_word, args.wake_threshold, args.wake_refractory_seconds)
    sounds = load_sounds(
        {name: getattr(args, f"{name}_wav") for name in SOUND_NAMES}, enabled=args.sounds
    )
    hooks = EventHooks(
        {event: getattr(args, f"on_{event.replace('-', '_')}") for event in HOOK_EVENTS}
    )
    options = SatelliteOptions(
        name=args.name,
        area=args.area,
        barge_in=args.barge_in,
        max_command_seconds=args.max_command_seconds,
    )
    speaker = open_speaker(args.snd_file, args.snd_device, args.snd_rate)
    return Satellite(options, microphone, detector, speaker, sounds, hooks)


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("audio loop stopped", exc_info=task.exception())


async def run(args: argparse.Namespace, satellite: Satellite) -> None:
    """Run the satellite's audio loop and serve Home Assistant until SIGTERM."""
    audio = asyncio.create_task(satellite.run())
    audio.add_done_callback(_report_crash)
    try:
        await serve(args, partial(HomeAssistantConnection, satellite=satellite))
    finally:
        audio.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await audio
        await satellite.hooks.wait()


def main(argv: list[str] | None = None) -> int:
    """Run `hybrid-voice-satellite`; the exit status (1 with a message for bad settings)."""
    args = parse_args(argv)
    if args.list_devices:
        print(list_devices())
        return 0
    configure_logging(args)
    try:
        satellite = build_satellite(args)
    except (WakeWordError, AudioFormatError, ValueError, OSError) as err:
        _LOGGER.error("cannot start: %s", err)
        return 2
    _LOGGER.info(
        "satellite '%s' listening for %s",
        args.name,
        ", ".join(model.phrase for model in satellite.detector.info),
    )
    asyncio.run(run(args, satellite))
    return 0


if __name__ == "__main__":
    sys.exit(main())

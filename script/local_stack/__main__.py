"""`script/run`: the shell script sets up the environments and calls this.

- `script/run`: the whole stack, until Ctrl-C;
- `script/run --servers-only`: only the Wyoming servers and the local model;
- `script/run --say "SENTENCE"`: one spoken turn, against a running stack or its own.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp

from .ha_api import HomeAssistantError
from .home_setup import WARM_ENOUGH
from .processes import StartError
from .settings import StackSettings
from .spoken_turn import SpeechError, async_say
from .stack import LocalStack, connected, read_running_stack

PROG = "run"
# Failures that get one line of explanation instead of a traceback.
FAILURES = (StartError, HomeAssistantError, SpeechError, aiohttp.ClientError, OSError)


def say(message: str) -> None:
    """One line for the user, on stderr (stdout carries `--say`'s report)."""
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line of `script/run`."""
    parser = argparse.ArgumentParser(
        prog="script/run",
        description="Run hybrid_voice on this machine: Wyoming STT/TTS, the local model, "
        "Home Assistant with a demo home and a virtual satellite. No cloud key and no "
        "microphone needed.",
    )
    parser.add_argument(
        "--servers-only", action="store_true", help="only the speech servers and the model"
    )
    parser.add_argument("--say", metavar="SENTENCE", help="speak one sentence at the satellite")
    parser.add_argument(
        "--reply-wav",
        type=Path,
        default=Path(".run/say-reply.wav"),
        help="where --say saves the spoken reply (default .run/say-reply.wav)",
    )
    parser.add_argument(
        "--realtime-standin",
        action="store_true",
        help="start the local Realtime API stand-in for the fast path",
    )
    return parser.parse_args(argv)


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def _until(stop: asyncio.Event, work: asyncio.Future[Any]) -> bool:
    """Run `work` unless `stop` comes first; True if it finished."""
    stopper = asyncio.ensure_future(stop.wait())
    done, _pending = await asyncio.wait({work, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if work in done:
        work.result()
        return True
    work.cancel()
    return False


async def _start(stack: LocalStack, stop: asyncio.Event) -> bool:
    """Start and configure; False if stopped meanwhile."""
    if not await _until(stop, asyncio.ensure_future(stack.start())):
        return False
    if not stack.with_home_assistant:
        return True
    task = asyncio.ensure_future(stack.configure())
    if not await _until(stop, task):
        return False
    if task.result() > WARM_ENOUGH:
        say(f"the think path is still slow ({task.result():.0f} s): is the machine busy?")
    return True


async def _say(settings: StackSettings, pipeline_id: str, sentence: str, wav: Path) -> None:
    async with connected(settings) as api:
        report = await async_say(api, settings, pipeline_id, sentence, wav)
    print("\n".join(report.lines()), flush=True)


async def run(args: argparse.Namespace) -> int:
    """Start, serve until Ctrl-C (or run one `--say` turn), stop; the exit code."""
    settings = StackSettings.from_env(realtime_standin=args.realtime_standin)
    running = read_running_stack(settings)
    if running is not None and args.say is not None:
        say(f"using the stack that runs already ({running.ha_url})")
        await _say(settings, running.pipeline_id, args.say, args.reply_wav)
        return 0
    if running is not None:
        say(
            f"error: a stack runs already (pid {running.pid}, {running.ha_url}); use --say "
            "with it, or stop it first"
        )
        return 1
    stack = LocalStack(settings, say, with_home_assistant=not args.servers_only)
    try:
        return await _serve(stack, args)
    except FAILURES as err:
        say(f"error: {err}")
        return 1
    finally:
        stack.stop()
        say("stopped")


async def _serve(stack: LocalStack, args: argparse.Namespace) -> int:
    """Start the stack, then one `--say` turn or serve until stopped."""
    stop = _stop_event()
    if not await _start(stack, stop):
        return 0
    for line in stack.where():
        say(line)
    if args.say is not None:
        assert stack.home is not None
        await _say(stack.settings, stack.home.pipeline_id, args.say, args.reply_wav)
        return 0
    say("ready (Ctrl-C stops everything)")
    exited = await stack.run_until_stopped(stop)
    if exited is not None:
        say(f"error: {exited}")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; errors are one clear line, never a traceback."""
    args = parse_args(argv)
    try:
        return asyncio.run(run(args))
    except FAILURES as err:
        say(f"error: {err}")
        return 1


if __name__ == "__main__":
    sys.exit(main())

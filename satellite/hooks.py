"""Shell commands run on satellite events, e.g. to drive LEDs (`--on-wake CMD`).

A command runs through `sh -c` with the event in $HYBRID_VOICE_EVENT and its text (a
transcript, a reply, an error) in $HYBRID_VOICE_TEXT and on stdin. Commands never block
the satellite; a failing command is logged.
"""

from __future__ import annotations

import asyncio
import logging
import os

_LOGGER = logging.getLogger(__name__)

HOOK_EVENTS = (
    "wake",
    "listen",
    "transcript",
    "speak",
    "done",
    "error",
    "timer-finished",
    "connect",
    "disconnect",
)
HOOK_TIMEOUT_SECONDS = 30.0


class EventHooks:
    """Shell commands run in the background on satellite events (wake word, transcript...)."""

    def __init__(self, commands: dict[str, str]) -> None:
        unknown = set(commands) - set(HOOK_EVENTS)
        if unknown:
            raise ValueError(f"unknown hook event(s): {', '.join(sorted(unknown))}")
        self.commands = {event: cmd for event, cmd in commands.items() if cmd}
        self._tasks: set[asyncio.Task[None]] = set()

    def fire(self, event: str, text: str = "") -> None:
        """Start the event's command in the background, with the text in its environment."""
        command = self.commands.get(event)
        if command is None:
            return
        task = asyncio.create_task(self._run(event, command, text))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, event: str, command: str, text: str) -> None:
        env = {**os.environ, "HYBRID_VOICE_EVENT": event, "HYBRID_VOICE_TEXT": text}
        try:
            process = await asyncio.create_subprocess_shell(
                command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
                env=env,
            )
            async with asyncio.timeout(HOOK_TIMEOUT_SECONDS):
                _, stderr = await process.communicate(text.encode())
        except TimeoutError:
            process.kill()
            _LOGGER.warning("--on-%s command took longer than %.0f s", event, HOOK_TIMEOUT_SECONDS)
            return
        except OSError as err:
            _LOGGER.warning("--on-%s command could not start: %s", event, err)
            return
        if process.returncode:
            lines = stderr.decode(errors="replace").strip().splitlines()
            _LOGGER.warning(
                "--on-%s command failed (exit %s)%s",
                event,
                process.returncode,
                f": {lines[-1]}" if lines else "",
            )

    async def wait(self) -> None:
        """Let running commands finish (at shutdown)."""
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)

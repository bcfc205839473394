"""Sound output: WAV files, raw PCM on stdout, or an ALSA device via `aplay`.

A speaker plays one sound at a time: `start`, `write`..., then `finish` (returns when the
sound has been heard) or `abort` (stops at once, for barge-in). File and stdout output
is paced at real-time speed so that "speaking" lasts as long as it would in a room.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
import wave
from abc import ABC, abstractmethod
from pathlib import Path

from wyoming_shared.audio import PcmFormat, convert_pcm

from .alsa import aplay_command, require_tool

_LOGGER = logging.getLogger(__name__)

REPLY_KINDS = frozenset({"reply", "announcement"})
MAX_LEAD_SECONDS = 0.3  # how far output may run ahead of the clock


class Speaker(ABC):
    """Where sounds are played; paced speakers take audio no faster than real time."""

    def __init__(self, paced: bool = True) -> None:
        self.paced = paced
        self._started = 0.0
        self._written = 0.0
        self.format = PcmFormat(22050, 2, 1)

    async def start(self, fmt: PcmFormat, kind: str) -> None:
        """Open the speaker for a sound of `fmt`."""
        self.format = fmt
        self._started = time.monotonic()
        self._written = 0.0
        await self._open(fmt, kind)

    async def write(self, pcm: bytes) -> None:
        """Play PCM of the started sound; a paced speaker waits to stay near real time."""
        await self._write(pcm)
        self._written += self.format.seconds(len(pcm))
        if self.paced:
            ahead = self._started + self._written - time.monotonic() - MAX_LEAD_SECONDS
            if ahead > 0:
                await asyncio.sleep(ahead)

    async def finish(self) -> None:
        """Return once everything written has been heard."""
        if self.paced:
            remaining = self._started + self._written - time.monotonic()
            if remaining > 0:
                await asyncio.sleep(remaining)
        await self._close(aborted=False)

    async def abort(self) -> None:
        """Stop the sound now."""
        await self._close(aborted=True)

    @abstractmethod
    async def _open(self, fmt: PcmFormat, kind: str) -> None: ...

    @abstractmethod
    async def _write(self, pcm: bytes) -> None: ...

    @abstractmethod
    async def _close(self, aborted: bool) -> None: ...


class NullSpeaker(Speaker):
    """No speaker configured: sounds take their time but go nowhere."""

    async def _open(self, fmt: PcmFormat, kind: str) -> None:
        return

    async def _write(self, pcm: bytes) -> None:
        return

    async def _close(self, aborted: bool) -> None:
        return


class WavFileSpeaker(Speaker):
    """Replies to one WAV file (rewritten per reply), or every sound to numbered files.

    A directory as target gets `001-awake.wav`, `002-reply.wav`, ...; a file gets the
    spoken replies and announcements only, each replacing the previous one.
    """

    def __init__(self, target: Path, paced: bool = True) -> None:
        super().__init__(paced)
        self.target = target
        self.count = 0
        self._wav: wave.Wave_write | None = None

    async def _open(self, fmt: PcmFormat, kind: str) -> None:
        self.count += 1
        if self.target.is_dir():
            path = self.target / f"{self.count:03d}-{kind}.wav"
        elif kind in REPLY_KINDS:
            path = self.target
        else:
            return
        wav = wave.open(str(path), "wb")  # noqa: SIM115 (closed in _close)
        wav.setframerate(fmt.rate)
        wav.setsampwidth(fmt.width)
        wav.setnchannels(fmt.channels)
        self._wav = wav

    async def _write(self, pcm: bytes) -> None:
        if self._wav is not None:
            self._wav.writeframes(pcm)

    async def _close(self, aborted: bool) -> None:
        if self._wav is not None:
            self._wav.close()
            self._wav = None


class StdoutSpeaker(Speaker):
    """Raw 16-bit mono PCM at a fixed rate on stdout, e.g. `| aplay -r 22050 -f S16_LE`."""

    def __init__(self, rate: int) -> None:
        super().__init__(paced=True)
        self.out_format = PcmFormat(rate, 2, 1)

    async def _open(self, fmt: PcmFormat, kind: str) -> None:
        return

    async def _write(self, pcm: bytes) -> None:
        data = convert_pcm(pcm, self.format, self.out_format)
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        except (BrokenPipeError, ValueError):
            _LOGGER.warning("speaker: stdout is closed, sound dropped")

    async def _close(self, aborted: bool) -> None:
        return


class AlsaSpeaker(Speaker):
    """An ALSA playback device; one `aplay` process per sound, killed on barge-in."""

    def __init__(self, device: str) -> None:
        super().__init__(paced=False)  # aplay blocks as the device plays
        self.device = device
        self._process: asyncio.subprocess.Process | None = None

    async def _open(self, fmt: PcmFormat, kind: str) -> None:
        try:
            command = aplay_command(require_tool("aplay"), self.device, fmt)
            self._process = await asyncio.create_subprocess_exec(
                *command, stdin=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
            )
        except OSError as err:
            _LOGGER.warning("speaker %s unavailable: %s", self.device, err)
            self._process = None

    async def _write(self, pcm: bytes) -> None:
        process = self._process
        if process is None or process.stdin is None:
            return
        try:
            process.stdin.write(pcm)
            await process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            await self._report(process)
            self._process = None

    async def _close(self, aborted: bool) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if aborted:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        elif process.stdin is not None:
            process.stdin.close()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                await process.stdin.wait_closed()
        await self._report(process)

    async def _report(self, process: asyncio.subprocess.Process) -> None:
        stderr = await process.stderr.read() if process.stderr is not None else b""
        code = await process.wait()
        if code > 0:
            lines = stderr.decode(errors="replace").strip().splitlines()
            _LOGGER.warning(
                "speaker %s failed: %s", self.device, lines[-1] if lines else f"exit {code}"
            )


def open_speaker(snd_file: str | None, snd_device: str | None, stdout_rate: int) -> Speaker:
    """The speaker the flags name: stdout ("-"), WAV files, an ALSA device, or none."""
    if snd_file == "-":
        return StdoutSpeaker(stdout_rate)
    if snd_file:
        return WavFileSpeaker(Path(snd_file))
    if snd_device:
        return AlsaSpeaker(snd_device)
    _LOGGER.warning("no speaker configured (--snd-device or --snd-file): replies are not heard")
    return NullSpeaker()

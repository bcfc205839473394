"""Microphone input: a WAV file, stdin or a named pipe, or an ALSA device via `arecord`.

Every source is delivered as 16 kHz mono 16-bit chunks. A source that fails (no device,
device unplugged, pipe closed) is logged once and retried; the satellite keeps running.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from wyoming_shared.audio import AudioFormatError, PcmConverter, PcmFormat

from .alsa import arecord_command, require_tool
from .blocking_io import DaemonCaller
from .pcm import MIC_FORMAT, Chunker, parse_wav_header

_LOGGER = logging.getLogger(__name__)

READ_BYTES = 4096
HEADER_PEEK_BYTES = 4096

ByteReader = Callable[[int], Awaitable[bytes]]


class MicUnavailable(Exception):
    """The microphone cannot be opened right now."""


class AtEnd(Enum):
    """What a source does when it has no more audio."""

    SILENCE = "silence"  # a recording: the room is quiet afterwards
    REOPEN = "reopen"  # a device or pipe: wait for it to come back
    STOP = "stop"  # stdin: nothing more will come


class MicSource(ABC):
    """Where microphone audio comes from."""

    paced = False  # deliver at real-time speed (files); devices pace themselves
    at_end = AtEnd.REOPEN
    needs_listener = False  # a recording starts once Home Assistant is listening

    @abstractmethod
    async def open(self) -> tuple[PcmFormat, ByteReader]:
        """Open the source; raise MicUnavailable with a readable reason."""

    async def close(self) -> None:
        """Release the source."""
        return

    def __str__(self) -> str:
        return type(self).__name__


def _split_header(head: bytes, raw_format: PcmFormat) -> tuple[PcmFormat, bytes]:
    """Detect a WAV header at the start of a stream; otherwise it is raw PCM."""
    if head.startswith(b"RIFF"):
        try:
            fmt, offset = parse_wav_header(head)
        except AudioFormatError as err:
            raise MicUnavailable(f"unreadable WAV input: {err}") from None
        return fmt, head[offset:]
    return raw_format, head


class FileSource(MicSource):
    """A WAV (or raw PCM) recording: a demo or test input that is never half missed.

    It plays at real-time speed once Home Assistant runs the satellite, then silence.
    """

    paced = True
    at_end = AtEnd.SILENCE
    needs_listener = True

    def __init__(self, path: Path, raw_format: PcmFormat) -> None:
        self.path = path
        self.raw_format = raw_format

    async def open(self) -> tuple[PcmFormat, ByteReader]:
        """Read the whole recording; its format from the WAV header, else the raw format."""
        try:
            data = await asyncio.to_thread(self.path.read_bytes)
        except OSError as err:
            raise MicUnavailable(f"cannot read {self.path}: {err.strerror}") from None
        fmt, body = _split_header(data[:HEADER_PEEK_BYTES], self.raw_format)
        remaining = memoryview(body + data[HEADER_PEEK_BYTES:])

        async def read(size: int) -> bytes:
            nonlocal remaining
            piece, remaining = bytes(remaining[:size]), remaining[size:]
            return piece

        return fmt, read

    def __str__(self) -> str:
        return f"file {self.path}"


class PipeSource(MicSource):
    """stdin or a named pipe, raw PCM or a streamed WAV, paced by the writer."""

    def __init__(self, path: Path | None, raw_format: PcmFormat) -> None:
        self.path = path
        self.raw_format = raw_format
        self.at_end = AtEnd.STOP if path is None else AtEnd.REOPEN
        self._file: BinaryIO | None = None
        self._blocking = DaemonCaller(f"microphone {self}")

    async def open(self) -> tuple[PcmFormat, ByteReader]:
        """Open the pipe (waiting for a writer) or stdin; the format from a WAV header, else raw."""
        if self.path is None:
            self._file = sys.stdin.buffer
        else:
            path = self.path
            try:  # blocks until a writer opens the pipe
                self._file = await self._blocking.call(lambda: path.open("rb"))
            except OSError as err:
                raise MicUnavailable(f"cannot open {self.path}: {err.strerror}") from None
        read1 = getattr(self._file, "read1", self._file.read)

        async def read(size: int) -> bytes:
            data: bytes = await self._blocking.call(lambda: read1(size))
            return data

        head = await read(HEADER_PEEK_BYTES)
        if not head:
            raise MicUnavailable(f"{self} closed before sending audio")
        fmt, body = _split_header(head, self.raw_format)
        pending = [body]

        async def read_rest(size: int) -> bytes:
            return pending.pop() if pending else await read(size)

        return fmt, read_rest

    async def close(self) -> None:
        """Close the pipe (stdin stays open)."""
        if self._file is not None and self.path is not None:
            self._file.close()
        self._file = None

    def __str__(self) -> str:
        return "stdin" if self.path is None else f"pipe {self.path}"


class AlsaSource(MicSource):
    """An ALSA capture device through an `arecord` process."""

    def __init__(self, device: str, fmt: PcmFormat) -> None:
        self.device = device
        self.format = fmt
        self._process: asyncio.subprocess.Process | None = None

    async def open(self) -> tuple[PcmFormat, ByteReader]:
        """Start `arecord` on the device."""
        command = arecord_command(require_tool("arecord"), self.device, self.format)
        self._process = process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        assert process.stdout is not None
        assert process.stderr is not None
        first = await process.stdout.read(READ_BYTES)
        if not first:
            errors = (await process.stderr.read()).decode(errors="replace").strip()
            await process.wait()
            reason = errors.splitlines()[-1] if errors else ""
            raise MicUnavailable(f"arecord -D {self.device} failed: {reason or 'no audio'}")
        pending = [first]
        stdout = process.stdout

        async def read(size: int) -> bytes:
            return pending.pop() if pending else await stdout.read(size)

        return self.format, read

    async def close(self) -> None:
        """Stop `arecord` and log why it ended if it failed."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.returncode is None:
            process.terminate()
            await process.wait()
        elif process.returncode and process.stderr is not None:
            errors = (await process.stderr.read()).decode(errors="replace").strip()
            reason = errors.splitlines()[-1] if errors else f"exit {process.returncode}"
            _LOGGER.warning("arecord -D %s stopped: %s", self.device, reason)

    def __str__(self) -> str:
        return f"ALSA device {self.device}"


class Microphone:
    """Endless 16 kHz mono chunks from a source, surviving its failures."""

    def __init__(self, source: MicSource, chunk_samples: int, retry_seconds: float = 2.0) -> None:
        self.source = source
        self.listener_ready = asyncio.Event()
        self.chunk_bytes = chunk_samples * MIC_FORMAT.frame_bytes
        self.retry_seconds = retry_seconds
        self.available = False

    async def chunks(self) -> AsyncIterator[bytes]:
        """Yield equal chunks of 16 kHz mono 16-bit audio forever, reopening a failed source."""
        last_problem = ""
        if self.source.needs_listener:
            await self.listener_ready.wait()
        while True:
            try:
                fmt, read = await self.source.open()
                converter = PcmConverter(fmt, MIC_FORMAT.rate)
            except (MicUnavailable, AudioFormatError, FileNotFoundError) as err:
                if str(err) != last_problem:
                    _LOGGER.warning("microphone unavailable: %s (retrying)", err)
                    last_problem = str(err)
                await self.source.close()
                await asyncio.sleep(self.retry_seconds)
                continue
            last_problem = ""
            self.available = True
            _LOGGER.info("microphone: %s (%s)", self.source, fmt)
            pacer = _Pacer(self.source.paced)
            chunker = Chunker(self.chunk_bytes)
            try:
                while data := await read(READ_BYTES):
                    for chunk in chunker.push(converter.convert_pcm16(data)):
                        await pacer.wait(MIC_FORMAT.seconds(len(chunk)))
                        yield chunk
            except (OSError, ValueError) as err:
                _LOGGER.warning("microphone %s failed: %s", self.source, err)
            finally:
                self.available = False
                await self.source.close()
            async for chunk in self._after_end(pacer):
                yield chunk

    async def _after_end(self, pacer: _Pacer) -> AsyncIterator[bytes]:
        at_end = self.source.at_end
        if at_end is AtEnd.SILENCE:
            _LOGGER.info("microphone: end of %s, listening to silence", self.source)
            silence = bytes(self.chunk_bytes)
            while True:
                await pacer.wait(MIC_FORMAT.seconds(len(silence)))
                yield silence
        if at_end is AtEnd.STOP:
            _LOGGER.warning("microphone: %s closed, no more audio input", self.source)
            await asyncio.Event().wait()
        _LOGGER.warning("microphone: %s ended, waiting for it to come back", self.source)
        await asyncio.sleep(self.retry_seconds)


class _Pacer:
    """Sleeps so that audio is delivered at real-time speed (no-op when not paced)."""

    def __init__(self, paced: bool) -> None:
        self.paced = paced
        self.start = time.monotonic()
        self.delivered = 0.0

    async def wait(self, seconds: float) -> None:
        if not self.paced:
            return
        delay = self.start + self.delivered - time.monotonic()
        self.delivered += seconds
        if delay > 0:
            await asyncio.sleep(delay)


def open_source(
    mic_file: str | None, mic_device: str | None, raw_format: PcmFormat
) -> MicSource | None:
    """The source named on the command line (None: no microphone configured)."""
    if mic_file == "-":
        return PipeSource(None, raw_format)
    if mic_file:
        path = Path(mic_file)
        try:
            is_pipe = stat.S_ISFIFO(os.stat(path).st_mode)
        except OSError:
            is_pipe = False
        return PipeSource(path, raw_format) if is_pipe else FileSource(path, raw_format)
    if mic_device:
        return AlsaSource(mic_device, raw_format)
    return None

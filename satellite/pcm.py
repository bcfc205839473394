"""PCM audio for the satellite: formats, conversion to 16 kHz mono, WAV headers, chunking."""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
import soxr  # type: ignore[import-untyped]

MIC_RATE = 16000
MIC_WIDTH = 2
MIC_CHANNELS = 1
SUPPORTED_WIDTHS = (1, 2, 4)


class AudioFormatError(ValueError):
    """Audio whose format the satellite cannot handle."""


@dataclass(frozen=True)
class AudioFormat:
    rate: int
    width: int
    channels: int

    @property
    def frame_bytes(self) -> int:
        return self.width * self.channels

    def seconds(self, byte_count: int) -> float:
        return byte_count / (self.rate * self.frame_bytes)

    def validate(self) -> AudioFormat:
        if not 4000 <= self.rate <= 192000:
            raise AudioFormatError(f"unsupported sample rate {self.rate} Hz")
        if self.width not in SUPPORTED_WIDTHS:
            raise AudioFormatError(f"unsupported sample width {self.width} bytes")
        if not 1 <= self.channels <= 8:
            raise AudioFormatError(f"unsupported channel count {self.channels}")
        return self

    def __str__(self) -> str:
        return f"{self.rate} Hz, {8 * self.width}-bit, {self.channels} channel(s)"


MIC_FORMAT = AudioFormat(MIC_RATE, MIC_WIDTH, MIC_CHANNELS)


def to_float_mono(pcm: bytes, fmt: AudioFormat) -> np.ndarray:
    """Interleaved PCM to float32 mono samples in [-1, 1]; a trailing partial frame is dropped."""
    usable = len(pcm) - len(pcm) % fmt.frame_bytes
    raw = pcm[:usable]
    if fmt.width == 1:
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif fmt.width == 2:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    else:
        samples = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    if fmt.channels > 1:
        samples = samples.reshape(-1, fmt.channels).mean(axis=1)
    return samples.astype(np.float32, copy=False)


def float_to_s16(samples: np.ndarray) -> bytes:
    pcm: bytes = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    return pcm


class PcmConverter:
    """Streaming conversion of any supported PCM format to 16-bit mono at `out_rate`."""

    def __init__(self, in_format: AudioFormat, out_rate: int = MIC_RATE) -> None:
        self.in_format = in_format.validate()
        self.out_rate = out_rate
        self._passthrough = in_format == AudioFormat(out_rate, 2, 1)
        self._resampler = (
            None
            if self._passthrough or in_format.rate == out_rate
            else soxr.ResampleStream(in_format.rate, out_rate, 1, dtype="float32")
        )
        self._partial = b""

    def convert(self, pcm: bytes, last: bool = False) -> bytes:
        data = self._partial + pcm
        usable = len(data) - len(data) % self.in_format.frame_bytes
        self._partial = data[usable:]
        if self._passthrough:
            return data[:usable]
        samples = to_float_mono(data[:usable], self.in_format)
        if self._resampler is not None:
            samples = self._resampler.resample_chunk(samples, last=last)
        return float_to_s16(samples)


def convert_once(pcm: bytes, in_format: AudioFormat, out_format: AudioFormat) -> bytes:
    """Convert a whole buffer to `out_format` (16-bit only), e.g. a feedback sound."""
    if in_format == out_format:
        return pcm
    samples = to_float_mono(pcm, in_format.validate())
    if in_format.rate != out_format.rate:
        samples = soxr.resample(samples, in_format.rate, out_format.rate).astype(np.float32)
    mono = float_to_s16(samples)
    if out_format.channels == 1:
        return mono
    return np.repeat(np.frombuffer(mono, dtype="<i2"), out_format.channels).tobytes()


class Chunker:
    """Cuts a byte stream into equal chunks."""

    def __init__(self, chunk_bytes: int) -> None:
        self.chunk_bytes = chunk_bytes
        self._buffer = bytearray()

    def push(self, data: bytes) -> list[bytes]:
        self._buffer.extend(data)
        chunks = []
        while len(self._buffer) >= self.chunk_bytes:
            chunks.append(bytes(self._buffer[: self.chunk_bytes]))
            del self._buffer[: self.chunk_bytes]
        return chunks


def parse_wav_header(head: bytes) -> tuple[AudioFormat, int]:
    """Format and data offset of a WAV file that starts with `head` (PCM only).

    Works for streamed WAVs (e.g. `arecord -t wav`) whose sizes are placeholders.
    """
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise AudioFormatError("not a WAV file")
    offset = 12
    fmt: AudioFormat | None = None
    while offset + 8 <= len(head):
        chunk_id = head[offset : offset + 4]
        (size,) = struct.unpack("<I", head[offset + 4 : offset + 8])
        body = offset + 8
        if chunk_id == b"fmt ":
            if body + 16 > len(head):
                break
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", head[body : body + 16])
            if tag not in (1, 0xFFFE):
                raise AudioFormatError(f"WAV encoding {tag} is not PCM")
            fmt = AudioFormat(rate, bits // 8, channels).validate()
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioFormatError("WAV data before its format chunk")
            return fmt, body
        offset = body + size + (size & 1)
    raise AudioFormatError("WAV header incomplete or without a data chunk")


def wav_bytes(pcm: bytes, fmt: AudioFormat) -> bytes:
    """A complete in-memory WAV file."""
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + len(pcm),
        b"WAVE",
        b"fmt ",
        16,
        1,
        fmt.channels,
        fmt.rate,
        fmt.rate * fmt.frame_bytes,
        fmt.frame_bytes,
        8 * fmt.width,
        b"data",
        len(pcm),
    )
    return header + pcm

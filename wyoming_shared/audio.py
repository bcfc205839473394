"""PCM audio formats and conversion shared by the servers and the satellite.

Wyoming audio is raw little-endian PCM described by rate, width (bytes per sample) and
channels. Speech models want float32 mono at one fixed rate, the satellite's wake word
16-bit mono. `PcmConverter` converts chunk by chunk: numpy decodes the samples and mixes
the channels down, soxr resamples with a streaming (stateful) resampler so chunk borders
leave no clicks. One `PcmFormat` check holds every stream to the same limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import soxr  # type: ignore[import-untyped]
from numpy.typing import NDArray

Samples = NDArray[np.float32]

MIN_RATE: Final = 1_000
MAX_RATE: Final = 384_000
SAMPLE_WIDTHS: Final = (1, 2, 3, 4)  # 8-bit unsigned; 16/24/32-bit signed
MAX_CHANNELS: Final = 32


class AudioFormatError(ValueError):
    """Audio parameters that no PCM stream can have."""


@dataclass(frozen=True)
class PcmFormat:
    """Rate in Hz, width in bytes per sample, number of interleaved channels."""

    rate: int
    width: int
    channels: int

    def __post_init__(self) -> None:
        for name in ("rate", "width", "channels"):
            value = getattr(self, name)
            if type(value) is not int:
                raise AudioFormatError(f"audio {name} must be an integer, not {value!r}")
        if not MIN_RATE <= self.rate <= MAX_RATE:
            raise AudioFormatError(f"audio rate {self.rate} Hz is outside {MIN_RATE}-{MAX_RATE} Hz")
        if self.width not in SAMPLE_WIDTHS:
            raise AudioFormatError(
                f"audio width {self.width} bytes is not one of {', '.join(map(str, SAMPLE_WIDTHS))}"
            )
        if not 1 <= self.channels <= MAX_CHANNELS:
            raise AudioFormatError(f"audio channels {self.channels} is outside 1-{MAX_CHANNELS}")

    @property
    def frame_bytes(self) -> int:
        """Bytes of one sample on every channel."""
        return self.width * self.channels

    def seconds(self, byte_count: int) -> float:
        """How long `byte_count` bytes of this format play."""
        return byte_count / (self.frame_bytes * self.rate)

    def __str__(self) -> str:
        return f"{self.rate} Hz, {8 * self.width}-bit, {self.channels} channel(s)"


def decode_pcm(audio: bytes, width: int) -> Samples:
    """Whole samples of little-endian PCM to float32 in [-1, 1), channels still interleaved."""
    if width == 1:
        return (np.frombuffer(audio, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(audio, dtype="<i2").astype(np.float32) / 32768.0
    if width == 3:
        # Put each 3-byte sample in the top of an int32, then shift back keeping the sign.
        padded = np.zeros((len(audio) // 3, 4), dtype=np.uint8)
        padded[:, 1:] = np.frombuffer(audio, dtype=np.uint8).reshape(-1, 3)
        return (padded.view("<i4").ravel() >> 8).astype(np.float32) / 8388608.0
    if width == 4:
        return (np.frombuffer(audio, dtype="<i4").astype(np.float64) / 2147483648.0).astype(
            np.float32
        )
    raise AudioFormatError(f"audio width {width} bytes is not supported")


_FULL_SCALE: Final = {1: 128.0, 2: 32768.0, 3: 8388608.0, 4: 2147483648.0}


def encode_pcm(samples: Samples, width: int) -> bytes:
    """float32 samples to little-endian PCM of `width` bytes (clipped; 8-bit unsigned)."""
    if width not in _FULL_SCALE:
        raise AudioFormatError(f"audio width {width} bytes is not supported")
    scale = _FULL_SCALE[width]
    clipped = np.clip(samples.astype(np.float64), -1.0, (scale - 1) / scale)
    values = np.round(clipped * scale).astype("<i4")
    if width == 1:
        return (values + 128).astype(np.uint8).tobytes()
    if width == 2:
        return values.astype("<i2").tobytes()
    if width == 3:
        return values.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    return values.tobytes()


class PcmConverter:
    """Streams PCM of one format into float32 mono at `rate`.

    Chunks may end in the middle of a frame; the remainder waits for the next chunk.
    """

    def __init__(self, source: PcmFormat, rate: int) -> None:
        self.source = source
        self.rate = rate
        self._remainder = b""
        self._resampler: soxr.ResampleStream | None = None
        if source.rate != rate:
            self._resampler = soxr.ResampleStream(
                source.rate, rate, 1, dtype="float32", quality="HQ"
            )

    def whole_frames(self, audio: bytes) -> bytes:
        """The stream's next whole frames; a partial frame at the end waits for the next chunk."""
        data = self._remainder + audio if self._remainder else audio
        usable = len(data) - len(data) % self.source.frame_bytes
        self._remainder = bytes(data[usable:])
        return data[:usable]

    def convert(self, audio: bytes) -> Samples:
        """The next chunk as float32 mono samples at `rate`."""
        return self._process(self.whole_frames(audio), last=False)

    def convert_pcm16(self, audio: bytes) -> bytes:
        """The next chunk as 16-bit mono PCM at `rate`; audio already like that passes as is."""
        frames = self.whole_frames(audio)
        if self.source == PcmFormat(self.rate, 2, 1):
            return frames
        return encode_pcm(self._process(frames, last=False), 2)

    def flush(self) -> Samples:
        """The samples still inside the resampler; a partial frame is dropped."""
        self._remainder = b""
        return self._process(b"", last=True)

    def _process(self, data: bytes, last: bool) -> Samples:
        samples = decode_pcm(data, self.source.width)
        if self.source.channels > 1:
            samples = samples.reshape(-1, self.source.channels).mean(axis=1, dtype=np.float32)
        if self._resampler is None:
            return samples
        resampled: Samples = self._resampler.resample_chunk(samples, last=last)
        return resampled


def to_float_mono(audio: bytes, source: PcmFormat, rate: int) -> Samples:
    """Convert one complete PCM buffer."""
    converter = PcmConverter(source, rate)
    head = converter.convert(audio)
    return np.concatenate([head, converter.flush()])


def convert_pcm(audio: bytes, source: PcmFormat, target: PcmFormat) -> bytes:
    """Convert one complete buffer to `target` (mixed to mono, then copied to each channel)."""
    if source == target:
        return audio
    mono = encode_pcm(to_float_mono(audio, source, target.rate), target.width)
    if target.channels == 1:
        return mono
    frames = np.frombuffer(mono, dtype=np.uint8).reshape(-1, target.width)
    return np.repeat(frames, target.channels, axis=0).tobytes()

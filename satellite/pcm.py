"""The satellite's own PCM needs: its microphone format, equal chunks, WAV headers.

Formats and conversion are shared with the servers (`wyoming_shared.audio`).
"""

from __future__ import annotations

import struct

from wyoming_shared.audio import AudioFormatError, PcmFormat

MIC_FORMAT = PcmFormat(16000, 2, 1)


class Chunker:
    """Cuts a byte stream into equal chunks."""

    def __init__(self, chunk_bytes: int) -> None:
        self.chunk_bytes = chunk_bytes
        self._buffer = bytearray()

    def push(self, data: bytes) -> list[bytes]:
        """Add data; return every complete chunk it finished."""
        self._buffer.extend(data)
        chunks = []
        while len(self._buffer) >= self.chunk_bytes:
            chunks.append(bytes(self._buffer[: self.chunk_bytes]))
            del self._buffer[: self.chunk_bytes]
        return chunks


def parse_wav_header(head: bytes) -> tuple[PcmFormat, int]:
    """Format and data offset of a WAV file that starts with `head` (PCM only).

    Works for streamed WAVs (e.g. `arecord -t wav`) whose sizes are placeholders.
    """
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise AudioFormatError("not a WAV file")
    offset = 12
    fmt: PcmFormat | None = None
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
            fmt = PcmFormat(rate, bits // 8, channels)
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioFormatError("WAV data before its format chunk")
            return fmt, body
        offset = body + size + (size & 1)
    raise AudioFormatError("WAV header incomplete or without a data chunk")

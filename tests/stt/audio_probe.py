"""Runs in the servers' environment (numpy, soxr): converts known PCM, prints JSON.

`test_audio.py` runs this file with the servers' Python and checks the numbers.
"""

from __future__ import annotations

import json

import numpy as np

from wyoming_shared.audio import (
    AudioFormatError,
    PcmConverter,
    PcmFormat,
    convert_pcm,
    decode_pcm,
    encode_pcm,
    to_float_mono,
)


def refused(rate: object, width: object, channels: object) -> str:
    try:
        PcmFormat(rate, width, channels)  # type: ignore[arg-type]
    except AudioFormatError as err:
        return str(err)
    return ""


def main() -> None:
    stereo24 = PcmFormat(48000, 3, 2)
    tone = np.sin(2 * np.pi * 1000 * np.arange(48000) / 48000).astype(np.float32) * 0.5
    interleaved = np.repeat(tone, 2)
    as_int32 = np.round(interleaved * 8388607).astype("<i4")
    pcm24 = as_int32.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()  # low 3 bytes each
    whole = to_float_mono(pcm24, stereo24, 16000)
    converter = PcmConverter(stereo24, 16000)
    pieces = [converter.convert(pcm24[i : i + 1001]) for i in range(0, len(pcm24), 1001)]
    split = np.concatenate([*pieces, converter.flush()])
    spectrum = np.abs(np.fft.rfft(whole))
    result = {
        "width1": decode_pcm(bytes([0x00, 0x80, 0xFF]), 1).tolist(),
        "width2": decode_pcm((-32768).to_bytes(2, "little", signed=True) + b"\xff\x7f", 2).tolist(),
        "width3": decode_pcm(bytes.fromhex("ffffffffff7f000080"), 3).tolist(),
        "width4": decode_pcm((-(2**31)).to_bytes(4, "little", signed=True), 4).tolist(),
        "mixdown": to_float_mono(
            encode_pcm(np.array([0.5, -0.5, 0.25, 0.25], dtype=np.float32), 2),
            PcmFormat(16000, 2, 2),
            16000,
        ).tolist(),
        "resampled_samples": int(whole.size),
        "peak_hz": float(np.argmax(spectrum) * 16000 / whole.size),
        "peak_level": float(np.max(np.abs(whole[1000:-1000]))),
        "split_matches_whole": bool(
            split.size == whole.size and np.allclose(split, whole, atol=1e-5)
        ),
        "pcm_roundtrip": {
            width: decode_pcm(
                encode_pcm(np.array([-1.5, -0.5, 0, 0.5, 1.5], np.float32), width), width
            ).tolist()
            for width in (1, 2, 3, 4)
        },
        "stereo_copy": np.frombuffer(
            convert_pcm(
                encode_pcm(np.array([0.5, -0.25], np.float32), 2),
                PcmFormat(16000, 2, 1),
                PcmFormat(16000, 2, 2),
            ),
            dtype="<i2",
        ).tolist(),
        "refused": [
            refused(0, 2, 1),
            refused(16000, 7, 1),
            refused(16000, 2, 0),
            refused(True, 2, 1),
            refused(10**9, 2, 1),
        ],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

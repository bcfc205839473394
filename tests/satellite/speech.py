"""Make test speech with the piper voice from the model store (run with the servers' Python).

    python speech.py OUT.wav silence:0.7 "say:okay nabu" silence:0.5 "say:turn on the light"

Writes 16 kHz mono 16-bit PCM, the format a satellite microphone delivers. The voice
speaks without its random generator noise, so a clip is the same on every run: with the
noise, the recognisers heard "purn on ..." for some takes, a test result left to chance.
"""

from __future__ import annotations

import sys
import wave

import numpy as np
import soxr  # type: ignore[import-untyped]
from piper import PiperVoice
from piper.config import SynthesisConfig

from wyoming_shared.model_paths import resolve_model

RATE = 16000
VOICE = "piper-en_US-joe-medium"


def main(out_path: str, parts: list[str]) -> None:
    voice = PiperVoice.load(str(resolve_model(VOICE)))
    same_every_time = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    pieces: list[np.ndarray] = []
    for part in parts:
        kind, _, value = part.partition(":")
        if kind == "silence":
            pieces.append(np.zeros(int(float(value) * RATE), dtype=np.int16))
        elif kind == "say":
            chunks = voice.synthesize(value, same_every_time)
            audio = np.concatenate([chunk.audio_int16_array for chunk in chunks])
            resampled = soxr.resample(audio, voice.config.sample_rate, RATE)
            pieces.append(np.asarray(resampled, dtype=np.int16))
        else:
            raise SystemExit(f"unknown part {part!r}: use silence:SECONDS or say:TEXT")
    with wave.open(out_path, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(np.concatenate(pieces).tobytes())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])

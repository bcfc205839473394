"""Making clips with silence around the speech, storing them, and streaming them in time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.speech_corpus import (
    LEAD_SECONDS,
    RATE,
    TAIL_SECONDS,
    UTTERANCES,
    compose,
    read_corpus,
    realtime_schedule,
    trim_silence,
    write_clip,
)


def test_clip_has_quiet_lead_and_tail_around_the_speech() -> None:
    speech = np.full(RATE, 10000, dtype=np.int16)
    clip = compose(speech, seed=1)
    lead, tail = int(LEAD_SECONDS * RATE), int(TAIL_SECONDS * RATE)
    assert clip.dtype == np.int16
    assert clip.size == lead + RATE + tail
    quiet = np.concatenate([clip[:lead], clip[-tail:]]).astype(np.float64)
    assert 0 < np.sqrt(np.mean(quiet**2)) < 60  # room noise, not digital zeros
    assert abs(float(np.mean(clip[lead : lead + RATE])) - 10000) < 10
    assert np.array_equal(clip, compose(speech, seed=1))  # reproducible


def test_loud_speech_is_clipped_not_wrapped() -> None:
    clip = compose(np.full(100, 32767, dtype=np.int16), lead=0, tail=0, noise_rms=500)
    assert clip.min() > 0


def test_trim_silence() -> None:
    audio = np.array([0, 10, 5000, -6000, 20, 0], dtype=np.int16)
    assert np.array_equal(trim_silence(audio), [5000, -6000])
    assert trim_silence(np.zeros(10, dtype=np.int16)).size == 0


def test_realtime_schedule_delivers_every_sample_once_at_microphone_pace() -> None:
    schedule = realtime_schedule(2500, 1024, 16000)
    assert [(start, end) for start, end, _ in schedule] == [(0, 1024), (1024, 2048), (2048, 2500)]
    assert [due for _, _, due in schedule] == pytest.approx([0.064, 0.128, 2500 / 16000])
    assert realtime_schedule(0, 1024, 16000) == []
    with pytest.raises(ValueError, match="positive"):
        realtime_schedule(10, 0, 16000)


def test_corpus_round_trip_and_tails(tmp_path: Path) -> None:
    audio = compose(np.full(RATE * 2, 3000, dtype=np.int16))
    write_clip(tmp_path, "data_02", "Close the garage door.", audio)
    write_clip(tmp_path, "data_01", "Turn on the light.", audio[:RATE])
    clips = read_corpus(tmp_path)
    assert [clip.name for clip in clips] == ["data_01", "data_02"]
    clip = clips[1]
    assert clip.text == "Close the garage door."
    assert clip.rate == RATE
    assert clip.samples == audio.astype("<i2").tobytes()
    assert clip.seconds == pytest.approx(LEAD_SECONDS + 2 + TAIL_SECONDS)
    shorter = clip.with_tail(0.25)
    assert shorter.seconds == pytest.approx(clip.seconds - (TAIL_SECONDS - 0.25))
    assert shorter.samples == clip.samples[: len(shorter.samples)]
    assert clip.with_tail(TAIL_SECONDS) == clip
    with pytest.raises(ValueError, match="tail"):
        clip.with_tail(TAIL_SECONDS + 0.1)


def test_stereo_or_8_bit_recordings_are_refused(tmp_path: Path) -> None:
    import wave

    with wave.open(str(tmp_path / "x.wav"), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(b"\0" * 400)
    (tmp_path / "x.txt").write_text("hi")
    with pytest.raises(ValueError, match="mono"):
        read_corpus(tmp_path)


def test_utterances_are_distinct_home_requests() -> None:
    assert len(set(UTTERANCES)) == len(UTTERANCES) >= 10
    assert all(6 <= len(text.split()) <= 14 for text in UTTERANCES)

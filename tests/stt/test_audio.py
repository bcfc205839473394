"""PCM conversion shared by the servers and the satellite, checked with known signals.

The conversion needs soxr, which lives in the servers' environment, so the numbers are
computed there (`audio_probe.py`) and checked here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.servers import run_in_servers_env


@pytest.fixture(scope="module")
def probe() -> dict[str, Any]:
    return run_in_servers_env(Path(__file__).with_name("audio_probe.py"))


def test_every_sample_width_decodes_to_the_same_scale(probe: dict[str, Any]) -> None:
    assert probe["width1"] == pytest.approx([-1.0, 0.0, 127 / 128])
    assert probe["width2"] == pytest.approx([-1.0, 32767 / 32768])
    assert probe["width3"] == pytest.approx([-1 / 8388608, 8388607 / 8388608, -1.0])
    assert probe["width4"] == pytest.approx([-1.0])


def test_channels_are_mixed_down(probe: dict[str, Any]) -> None:
    assert probe["mixdown"] == pytest.approx([0.0, 0.25], abs=1e-4)


def test_resampling_keeps_pitch_level_and_length(probe: dict[str, Any]) -> None:
    """1 s of a 1 kHz tone at 48 kHz, 24-bit stereo becomes 1 s at 16 kHz mono."""
    assert abs(probe["resampled_samples"] - 16000) <= 16
    assert probe["peak_hz"] == pytest.approx(1000, abs=2)
    assert probe["peak_level"] == pytest.approx(0.5, abs=0.01)


def test_chunks_split_mid_frame_convert_like_one_buffer(probe: dict[str, Any]) -> None:
    assert probe["split_matches_whole"] is True


def test_pcm_output_of_every_width_is_clipped_not_wrapped(probe: dict[str, Any]) -> None:
    for width, scale in (("1", 128), ("2", 32768), ("3", 8388608), ("4", 2**31)):
        expected = [-1.0, -0.5, 0.0, 0.5, (scale - 1) / scale]
        assert probe["pcm_roundtrip"][width] == pytest.approx(expected), width


def test_mono_is_copied_to_every_output_channel(probe: dict[str, Any]) -> None:
    assert probe["stereo_copy"] == [16384, 16384, -8192, -8192]


def test_impossible_formats_are_refused(probe: dict[str, Any]) -> None:
    rate0, width7, channels0, boolean, huge = probe["refused"]
    assert "rate 0 Hz" in rate0
    assert "width 7 bytes" in width7
    assert "channels 0" in channels0
    assert "must be an integer" in boolean
    assert "outside" in huge

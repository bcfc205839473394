"""Reading our servers' logs, and the markdown the benchmark writes."""

from __future__ import annotations

from typing import Any

import pytest

from bench.server_profile import stt_log_profile, tts_log_first_audio
from bench.servers_findings import stt_time, tts_time
from bench.servers_report import render

_QUEUE = "DEBUG wyoming_servers.stt.decode_queue"
_HANDLER = "INFO wyoming_servers.stt.handler: x: 3.90 s of audio"
STT_LOG = f"""\
10:00:00,000 INFO wyoming_servers.service: ready on tcp://127.0.0.1:1
10:00:01,000 {_QUEUE}: speculative decode of 3.20 s audio took 0.180 s
10:00:01,300 {_HANDLER}, transcript 0.002 s after audio-stop: 'a'
10:00:02,000 {_QUEUE}: final decode of 3.90 s audio took 0.250 s
10:00:02,300 {_HANDLER}, transcript 0.260 s after audio-stop: 'b'
"""


def test_stt_log_profile_counts_decodes_and_times_after_audio_stop() -> None:
    profile = stt_log_profile(STT_LOG)
    assert profile["requests"] == 2
    assert profile["final_decodes"] == 1
    assert profile["speculative_decodes"] == 1
    assert profile["final_decode_seconds"]["median"] == pytest.approx(0.25)
    assert profile["speculative_audio_seconds"]["median"] == pytest.approx(3.2)
    assert profile["server_after_stop"]["median"] == pytest.approx(0.131)
    assert stt_log_profile("") == {"requests": 0, "final_decodes": 0, "speculative_decodes": 0}


def test_tts_log_first_audio() -> None:
    log = "spoke 180 characters in 4 pieces: 9.4 s of audio, first audio after 116 ms, done\n"
    first = tts_log_first_audio(log * 2 + log.replace("116", "120"))
    assert first is not None
    assert first["median"] == pytest.approx(116)
    assert tts_log_first_audio("nothing") is None


def _comparison(ours: float, theirs: float) -> dict[str, Any]:
    def summary(value: float) -> dict[str, float]:
        return {
            "n": 3,
            "median": value,
            "mean": value,
            "p95": value,
            "minimum": value,
            "maximum": value,
        }

    return {
        "ours": summary(ours),
        "theirs": summary(theirs),
        "ratio_of_medians": ours / theirs,
        "median_paired_ratio": ours / theirs,
    }


def _tts_report() -> dict[str, Any]:
    crowd = {
        "clients": 20,
        "succeeded": 20,
        "errors": [],
        "wall_seconds": 10.0,
        "requests_per_second": 2.0,
        "first_audio": None,
    }
    modes = {
        mode: {
            "first_audio": _comparison(0.1, 0.3),
            "total": _comparison(0.9, 0.8),
            "audio_seconds": {"ours": 9.0, "theirs": 8.8},
            "errors": [],
        }
        for mode in ("synthesize", "stream")
    }
    return {
        "reply": "Hello there.",
        "modes": modes,
        "concurrent": {"ours": crowd, "theirs": crowd},
        "servers": {
            side: {
                "program": side,
                "command": f"{side}-tts --voice v",
                "memory_mb": {"VmHWM": hwm, "VmRSS": 1.0},
            }
            for side, hwm in (("ours", 320.0), ("theirs", 280.0))
        },
        "server_first_audio_ms": None,
        "profile": {
            "threads=1 ours": [{"piece": "Hello there.", "seconds": 0.05, "audio_seconds": 0.8}]
        },
        "compat": {
            "ours": {
                "command": "wyoming-bench tts 127.0.0.1:1",
                "exit_code": 0,
                "output": "ok=4 fail=0",
            }
        },
    }


def test_report_says_which_targets_are_met_and_by_how_much_one_is_missed() -> None:
    report = {
        "command": "python bench/servers.py --only tts",
        "machine": {
            "cpus": 2,
            "platform": "Linux",
            "load_before": [1.0, 1.0, 1.0],
            "load_after": [2.0, 2.0, 2.0],
        },
        "duration_seconds": 60.0,
        "targets": {
            "stt_latency_ratio": 0.5,
            "tts_first_audio_ratio": 0.5,
            "tts_total_ratio": 1.1,
            "tts_throughput_ratio": 1.0,
            "stt_peak_rss_mb": 500.0,
            "tts_peak_rss_mb": 300.0,
        },
        "tts": _tts_report(),
    }
    markdown = render(report)
    assert "| TTS first audio, one synthesize | 100 ms | 300 ms | 0.33" in markdown
    assert "| TTS total, text stream | 900 ms | 800 ms | 1.12" in markdown
    assert "**no** (1.02x the target)" in markdown  # total 1.125 against 1.1
    throughput = "| TTS throughput, 20 clients at once | 2.00 req/s | 2.00 req/s | 1.00 |"
    assert f"{throughput} >= 1.0 | yes |" in markdown
    assert "| TTS server peak RSS (VmHWM) | 320 MB | 280 MB" in markdown
    assert "**no** (1.07x the target)" in markdown  # 320 MB against 300 MB
    assert "| 20 (2.00 req/s) | 20 (2.00 req/s) | | all succeed | yes |" in markdown
    assert "### TTS, ours: exit code 0" in markdown
    assert "ok=4 fail=0" in markdown


def test_where_the_time_goes_is_computed_from_the_run() -> None:
    log = stt_log_profile(STT_LOG)
    stt = {"scenarios": {"tail 0.7 s": {"latency": _comparison(0.131, 0.6), "ours_log": log}}}
    [_, _, line] = stt_time(stt)
    assert line.startswith("- tail 0.7 s: ours 131 ms (median): 1 of 2 transcripts were decoded")
    assert "1 needed a decode after audio-stop (median 250 ms for 3.9 s of audio" in line
    assert "Theirs 600 ms" in line

    tts = _tts_report()
    assert tts_time(tts) == []  # without the model profile there is nothing to explain
    piece = {"piece": "Hello,", "seconds": 0.05, "audio_seconds": 0.5}
    sentence = {"piece": "Hello, there.", "seconds": 0.08, "audio_seconds": 0.9}
    alone = {**piece, "seconds": 0.07}
    tts["profile"] = {
        "1 thread ours": [alone, {**alone, "piece": "there."}],
        "2 threads ours": [piece, {**piece, "piece": "there."}],
        "2 threads sentences": [sentence],
        "onnxruntime default sentences": [{**sentence, "seconds": 0.2}],
    }
    tts["server_first_audio_ms"] = {"median": 70.0}
    text = "\n".join(tts_time(tts))
    assert 'the voice model needs 50 ms for the short first piece "Hello," with 2 threads' in text
    assert "(70 ms with 1 thread)" in text
    assert "first audio ready 70 ms after it read the request" in text
    assert "First audio, theirs 300 ms: the whole first sentence (200 ms of model time" in text
    assert "our pieces need 100 ms of model time with 2 threads (140 ms with 1 thread)" in text
    assert "against 200 ms for whole sentences with onnxruntime's default" in text

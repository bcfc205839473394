"""The latency benchmark's reports from samples (no stack needed)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.latency_report import HEADLINE, TurnSample, write_reports
from script.local_stack.turn_report import END_OF_SPEECH, FIRST_AUDIO, PLAYBACK_DONE, STT_DONE


def sample(stack: str, index: int, first_audio: float) -> TurnSample:
    stages = {END_OF_SPEECH: 1.0, STT_DONE: 1.2, FIRST_AUDIO: first_audio, PLAYBACK_DONE: 3.0}
    return TurnSample(stack, "instant", index, "instant", "hi", "ok", stages, [])


def test_reports_give_medians_ratios_and_a_chart(tmp_path: Path) -> None:
    samples = [
        *(sample("Hybrid Voice", i, 1.5) for i in range(3)),
        *(sample("Reference", i, 2.0) for i in range(3)),
    ]
    markdown, data, chart = write_reports(samples, tmp_path)
    report = json.loads(data.read_text())
    ours = report["summaries"]["Hybrid Voice"]["instant"][HEADLINE]
    assert ours["median"] == 0.5
    assert report["ratios"]["instant"][HEADLINE]["ratio_of_medians"] == 0.5
    assert "| instant | end of speech -> first audio | 0.50 |" in markdown.read_text()
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_a_turn_without_audio_is_left_out_of_the_timing() -> None:
    silent = TurnSample("Hybrid Voice", "instant", 0, "none", None, None, {END_OF_SPEECH: 1}, [])
    assert silent.metric(HEADLINE) is None
    assert "n/a" in silent.summary_line()

"""The report: pass rates per file and path, medians and p95, failures listed."""

from __future__ import annotations

from bench.eval_report import SentenceResult, percentile, render_markdown, summarize


def _result(file: str, path: str, passed: bool, seconds: float) -> SentenceResult:
    problems = [] if passed else ["light.a: state 'off', expected 'on'"]
    return SentenceResult("flat", file, f"{file} {seconds}", path, passed, seconds, "Ok", problems)


def test_nearest_rank_percentile() -> None:
    assert percentile([float(v) for v in range(1, 21)], 0.95) == 19.0
    assert percentile([3.0], 0.95) == 3.0
    assert percentile([], 0.95) == 0.0


def test_summary_counts_files_paths_and_failures() -> None:
    results = [
        _result("lights", "instant", True, 0.01),
        _result("lights", "think", False, 3.0),
        _result("locks", "think", True, 5.0),
        _result("locks", "instant", True, 0.02),
    ]
    summary = summarize(results)
    assert summary["overall"]["pass_rate"] == 0.75
    assert summary["overall"]["median_ms"] == 1510.0
    assert summary["paths"]["instant"] == {
        "sentences": 2,
        "passed": 2,
        "pass_rate": 1.0,
        "median_ms": 15.0,
        "p95_ms": 20.0,
        "think_median_ms": 0.0,
        "think_p95_ms": 0.0,
        "replied": 0,
        "unasked_changes": 0,
        "share": 0.5,
    }
    assert summary["paths"]["think"]["pass_rate"] == 0.5
    assert [(row["file"], row["pass_rate"]) for row in summary["files"]] == [
        ("lights", 0.5),
        ("locks", 1.0),
    ]
    assert [failure["sentence"] for failure in summary["failures"]] == ["lights 3.0"]

    markdown = render_markdown(summary, {"model": "tiny"})
    assert "- model: tiny" in markdown
    assert "**Overall: 3/4 sentences pass (75.0%)" in markdown
    assert "| think | 2 | 50.0% | 50.0% |" in markdown
    assert "\"lights 3.0\": light.a: state 'off', expected 'on'." in markdown


def test_sentences_that_answered_a_which_one_question_are_counted() -> None:
    asked = SentenceResult("flat", "media", "pause the tv", "think", True, 2.0, reply="Den TV")
    plain = _result("media", "think", True, 1.0)
    summary = summarize([asked, plain])
    assert summary["overall"]["replied"] == 1
    text = render_markdown(summary, {})
    assert "1 answered a 'which one' question first" in text
    assert "which one" not in render_markdown(summarize([plain]), {})

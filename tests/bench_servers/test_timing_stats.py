"""Summaries and side-by-side comparisons of timings."""

from __future__ import annotations

import math

import pytest

from bench.timing_stats import compare, percentile, summarize


def test_summary_of_timings() -> None:
    summary = summarize([0.3, 0.1, 0.2, 0.4])
    assert summary.n == 4
    assert summary.median == pytest.approx(0.25)
    assert summary.mean == pytest.approx(0.25)
    assert (summary.minimum, summary.maximum) == (0.1, 0.4)
    assert summary.p95 == pytest.approx(0.385)
    assert summary.as_dict()["median"] == pytest.approx(0.25)


def test_percentile_interpolates_and_refuses_nothing() -> None:
    assert percentile([1.0], 0.95) == 1.0
    assert percentile([0.0, 10.0], 0.5) == 5.0
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)
    with pytest.raises(ValueError, match="no values"):
        summarize([])


def test_comparison_of_paired_runs() -> None:
    comparison = compare([0.1, 0.2, 0.3], [0.4, 0.4, 0.4])
    assert comparison.ratio_of_medians == pytest.approx(0.5)
    assert comparison.median_paired_ratio == pytest.approx(0.5)
    assert comparison.meets(0.5)
    assert not comparison.meets(0.49)
    assert comparison.as_dict()["theirs"]["median"] == pytest.approx(0.4)


def test_paired_ratio_follows_load_that_drifts() -> None:
    # Every run of ours takes half as long as the run of theirs right beside it, while
    # the machine gets slower; the paired ratio says so exactly.
    comparison = compare([0.1, 0.5, 1.0, 0.2, 0.3], [0.2, 1.0, 2.0, 0.4, 0.6])
    assert comparison.median_paired_ratio == pytest.approx(0.5)


def test_unpaired_runs_and_zero_times() -> None:
    with pytest.raises(ValueError, match="unpaired"):
        compare([0.1], [0.1, 0.2])
    comparison = compare([0.1], [0.0])
    assert math.isinf(comparison.ratio_of_medians)
    assert math.isinf(comparison.median_paired_ratio)

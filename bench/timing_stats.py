"""Summaries of timings measured side by side.

The machines are shared, so single numbers are noisy: runs alternate between the two
servers, and the comparison is the ratio of medians, with the median of the per-pair
ratios (run i of ours against run i of theirs) as a check that is robust to load that
drifts during the benchmark.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Summary:
    """Count, median, mean, p95 and range of one contender's times."""

    n: int
    median: float
    mean: float
    p95: float
    minimum: float
    maximum: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear-interpolated percentile (`fraction` in 0..1) of a non-empty sequence."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(values: Sequence[float]) -> Summary:
    """The summary of some times."""
    if not values:
        raise ValueError("no values")
    return Summary(
        n=len(values),
        median=statistics.median(values),
        mean=statistics.fmean(values),
        p95=percentile(values, 0.95),
        minimum=min(values),
        maximum=max(values),
    )


@dataclass(frozen=True)
class Comparison:
    """Ours against theirs on the same runs."""

    ours: Summary
    theirs: Summary
    ratio_of_medians: float  # ours / theirs
    median_paired_ratio: float  # median over runs of ours_i / theirs_i

    def meets(self, target: float) -> bool:
        """Whether ours/theirs is at most `target` (judged on the ratio of medians)."""
        return self.ratio_of_medians <= target

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "ours": self.ours.as_dict(),
            "theirs": self.theirs.as_dict(),
            "ratio_of_medians": self.ratio_of_medians,
            "median_paired_ratio": self.median_paired_ratio,
        }


def compare(ours: Sequence[float], theirs: Sequence[float]) -> Comparison:
    """Compare paired runs; `ours[i]` and `theirs[i]` ran back to back."""
    if len(ours) != len(theirs):
        raise ValueError(f"unpaired runs: {len(ours)} ours, {len(theirs)} theirs")
    mine, other = summarize(ours), summarize(theirs)
    pairs = [a / b for a, b in zip(ours, theirs, strict=True) if b > 0]
    return Comparison(
        ours=mine,
        theirs=other,
        ratio_of_medians=mine.median / other.median if other.median > 0 else math.inf,
        median_paired_ratio=statistics.median(pairs) if pairs else math.inf,
    )

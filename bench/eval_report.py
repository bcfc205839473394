"""The evaluation report: pass rates per file and overall, path shares, timings, failures.

Plain Python, no Home Assistant import.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.scoring import UNASKED_CHANGE

PATHS = ("instant", "think", "none")


@dataclass
class SentenceResult:
    """One sentence as it ran: `path` is instant, think, or none (nothing answered)."""

    home: str
    file: str
    sentence: str
    path: str
    passed: bool
    seconds: float
    speech: str = ""
    problems: list[str] = field(default_factory=list)
    part: str = "own"  # the part of the set: own, heldout (never tuned on), ...
    reply: str = ""  # what was said to the agent's "which one" question, if anything


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def _timing(results: Sequence[SentenceResult]) -> dict[str, Any]:
    times = [result.seconds * 1000 for result in results]
    think = [result.seconds * 1000 for result in results if result.path == "think"]
    return {
        "sentences": len(results),
        "passed": sum(result.passed for result in results),
        "pass_rate": round(sum(r.passed for r in results) / len(results), 4) if results else 0.0,
        "median_ms": round(statistics.median(times), 1) if times else 0.0,
        "p95_ms": round(percentile(times, 0.95), 1) if times else 0.0,
        "think_median_ms": round(statistics.median(think), 1) if think else 0.0,
        "think_p95_ms": round(percentile(think, 0.95), 1) if think else 0.0,
        "replied": sum(bool(result.reply) for result in results),
        "unasked_changes": sum(
            any(UNASKED_CHANGE in problem for problem in result.problems) for result in results
        ),
    }


def summarize(results: Sequence[SentenceResult]) -> dict[str, Any]:
    """Everything the report shows, JSON-ready."""
    files: dict[tuple[str, str], list[SentenceResult]] = {}
    parts: dict[str, list[SentenceResult]] = {}
    for result in results:
        files.setdefault((result.home, result.file), []).append(result)
        parts.setdefault(result.part, []).append(result)
    paths = {}
    for path in PATHS:
        chosen = [r for r in results if r.path == path]
        if chosen:
            paths[path] = {
                **_timing(chosen),
                "share": round(len(chosen) / len(results), 4),
            }
    return {
        "overall": _timing(results),
        "parts": {part: _timing(group) for part, group in sorted(parts.items())},
        "paths": paths,
        "files": [
            {"home": home, "file": file, **_timing(group)}
            for (home, file), group in sorted(files.items())
        ],
        "failures": [asdict(r) for r in results if not r.passed],
    }


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def render_markdown(summary: Mapping[str, Any], meta: Mapping[str, Any]) -> str:
    """The markdown report: the run's settings, then the tables, then every failure."""
    overall = summary["overall"]
    lines = [
        "# Conversation agent evaluation",
        "",
        *(f"- {key}: {value}" for key, value in meta.items()),
        "",
        f"**Overall: {overall['passed']}/{overall['sentences']} sentences pass "
        f"({_pct(overall['pass_rate'])}); median {overall['median_ms']:.0f} ms, "
        f"p95 {overall['p95_ms']:.0f} ms per sentence; think path median "
        f"{overall['think_median_ms']:.0f} ms, p95 {overall['think_p95_ms']:.0f} ms; "
        f"{overall['unasked_changes']} sentences changed a device they did not ask for"
        + (
            f"; {overall['replied']} answered a 'which one' question first"
            if overall.get("replied")
            else ""
        )
        + ".**",
        "",
        "| part | sentences | pass rate | think median | think p95 | unasked changes |",
        "|---|---|---|---|---|---|",
        *(
            f"| {part} | {row['sentences']} | {_pct(row['pass_rate'])} "
            f"| {row['think_median_ms']:.0f} ms | {row['think_p95_ms']:.0f} ms "
            f"| {row['unasked_changes']} |"
            for part, row in summary.get("parts", {}).items()
        ),
        "",
        "| path | sentences | share | pass rate | median | p95 |",
        "|---|---|---|---|---|---|",
    ]
    for path, row in summary["paths"].items():
        lines.append(
            f"| {path} | {row['sentences']} | {_pct(row['share'])} | {_pct(row['pass_rate'])} "
            f"| {row['median_ms']:.0f} ms | {row['p95_ms']:.0f} ms |"
        )
    lines += [
        "",
        "| home | file | sentences | pass rate | median | p95 |",
        "|---|---|---|---|---|---|",
    ]
    for row in summary["files"]:
        lines.append(
            f"| {row['home']} | {row['file']} | {row['sentences']} | {_pct(row['pass_rate'])} "
            f"| {row['median_ms']:.0f} ms | {row['p95_ms']:.0f} ms |"
        )
    home_errors = summary.get("home_errors", [])
    if home_errors:
        lines += ["", f"## Homes that could not run ({len(home_errors)})", ""]
        lines += [f"- {message}" for message in home_errors]
    lines += ["", f"## Failures ({len(summary['failures'])})", ""]
    for failure in summary["failures"]:
        problems = "; ".join(failure["problems"]) or "-"
        speech = " ".join(str(failure["speech"]).split())
        lines.append(
            f"- `{failure['home']}/{failure['file']}` ({failure['path']}) "
            f'"{failure["sentence"]}": {problems}. Answer: "{speech}"'
        )
    return "\n".join(lines) + "\n"

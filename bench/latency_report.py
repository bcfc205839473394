"""The latency benchmark's samples and reports: markdown, JSON and a PNG stage chart."""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.timing_stats import compare, summarize
from script.local_stack.turn_report import (
    END_OF_SPEECH,
    FIRST_AUDIO,
    PLAYBACK_DONE,
    REPLY_DONE,
    STAGES,
    STT_DONE,
    TurnReport,
    route_of,
)

HEADLINE = "end of speech -> first audio"
FROM_LAST_WORD = "last word -> first audio"
# The chart's segments: (label, stage it ends at), each from the previous one.
SEGMENTS = (
    ("HA silence wait", END_OF_SPEECH),
    ("STT", STT_DONE),
    ("agent", REPLY_DONE),
    ("TTS to satellite", FIRST_AUDIO),
    ("playback", PLAYBACK_DONE),
)


@dataclass(frozen=True)
class TurnSample:
    """One spoken turn on one stack."""

    stack: str
    kind: str
    round: int
    route: str
    transcript: str | None
    reply: str | None
    stages: dict[str, float]  # stage -> seconds after the last word
    changes: list[str]

    @classmethod
    def from_report(cls, stack: str, kind: str, index: int, report: TurnReport) -> TurnSample:
        """The sample of a `--say` report."""
        return cls(
            stack=stack,
            kind=kind,
            round=index,
            route=(report.agent_route or route_of(report.pipeline.intent_end))[0],
            transcript=report.pipeline.transcript,
            reply=report.pipeline.reply,
            stages=report.stage_times(),
            changes=[f"{c.entity_id}: {c.old} -> {c.new}" for c in report.changes],
        )

    def metric(self, name: str) -> float | None:
        """A stage, or one of the two headline intervals, if the turn reached it."""
        if name == HEADLINE:
            if END_OF_SPEECH in self.stages and FIRST_AUDIO in self.stages:
                return self.stages[FIRST_AUDIO] - self.stages[END_OF_SPEECH]
            return None
        if name == FROM_LAST_WORD:
            return self.stages.get(FIRST_AUDIO)
        return self.stages.get(name)

    def summary_line(self) -> str:
        """One progress line."""
        headline = self.metric(HEADLINE)
        shown = f"{headline:.2f} s" if headline is not None else "n/a"
        return (
            f"{self.stack:<13} {self.kind:<15} round {self.round + 1}: route {self.route}, "
            f"{HEADLINE} {shown}, heard {self.transcript!r}"
        )


def _values(samples: Sequence[TurnSample], stack: str, kind: str, metric: str) -> list[float]:
    found = (s.metric(metric) for s in samples if s.stack == stack and s.kind == kind)
    return [value for value in found if value is not None]


def summaries(samples: Sequence[TurnSample]) -> dict[str, Any]:
    """Per stack and turn kind: p50/p95 of every stage and of the headline intervals."""
    stacks = sorted({s.stack for s in samples})
    kinds = list(dict.fromkeys(s.kind for s in samples))
    table: dict[str, Any] = {}
    for stack in stacks:
        for kind in kinds:
            entry: dict[str, Any] = {}
            for metric in (HEADLINE, FROM_LAST_WORD, *STAGES):
                values = _values(samples, stack, kind, metric)
                if values:
                    entry[metric] = summarize(values).as_dict()
            routes = [s.route for s in samples if s.stack == stack and s.kind == kind]
            entry["routes"] = {route: routes.count(route) for route in sorted(set(routes))}
            table.setdefault(stack, {})[kind] = entry
    return table


def ratios(samples: Sequence[TurnSample], ours: str, theirs: str) -> dict[str, Any]:
    """Ours / theirs per turn kind for the two headline intervals (paired rounds)."""
    found: dict[str, Any] = {}
    for kind in dict.fromkeys(s.kind for s in samples):
        for metric in (HEADLINE, FROM_LAST_WORD):
            mine = {s.round: s.metric(metric) for s in samples if (s.stack, s.kind) == (ours, kind)}
            other = {
                s.round: s.metric(metric) for s in samples if (s.stack, s.kind) == (theirs, kind)
            }
            rounds = [r for r in mine if mine[r] is not None and other.get(r) is not None]
            if rounds:
                pairs = compare([mine[r] or 0.0 for r in rounds], [other[r] or 0.0 for r in rounds])
                found.setdefault(kind, {})[metric] = pairs.as_dict()
    return found


def markdown(samples: Sequence[TurnSample], table: dict[str, Any], paired: dict[str, Any]) -> str:
    """The report a person reads."""
    lines = [
        "# Whole voice turns: latency by stage",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"{len(samples)} turns. The machine was shared with other work while this ran: "
        "absolute numbers are noisy; the ratios compare turns run back to back.",
        "",
        f"## {HEADLINE} (Home Assistant's end-of-speech decision to the first reply audio "
        "at the satellite), seconds",
        "",
        "| stack | turn | route(s) | p50 | p95 | from the last word p50 |",
        "|---|---|---|---|---|---|",
    ]
    for stack, kinds in table.items():
        for kind, entry in kinds.items():
            head, last = entry.get(HEADLINE), entry.get(FROM_LAST_WORD)
            routes = ", ".join(f"{r} x{n}" for r, n in entry["routes"].items())
            lines.append(
                f"| {stack} | {kind} | {routes} | {_num(head, 'median')} | "
                f"{_num(head, 'p95')} | {_num(last, 'median')} |"
            )
    if paired:
        lines += ["", "## Ours / reference (ratio of medians; median of paired ratios)", ""]
        lines += ["| turn | interval | ratio | paired |", "|---|---|---|---|"]
        for kind, metrics in paired.items():
            for metric, value in metrics.items():
                lines.append(
                    f"| {kind} | {metric} | {value['ratio_of_medians']:.2f} | "
                    f"{value['median_paired_ratio']:.2f} |"
                )
    lines += ["", "## Stages, seconds after the last word (p50 / p95)", ""]
    lines += ["| stack | turn | " + " | ".join(STAGES) + " |", "|---|---|" + "---|" * len(STAGES)]
    for stack, kinds in table.items():
        for kind, entry in kinds.items():
            cells = [
                f"{_num(entry.get(s), 'median')} / {_num(entry.get(s), 'p95')}" for s in STAGES
            ]
            lines.append(f"| {stack} | {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _num(summary: dict[str, Any] | None, key: str) -> str:
    return f"{summary[key]:.2f}" if summary else "-"


def chart(table: dict[str, Any], path: Path) -> None:
    """Horizontal bars: the median time each stage adds, per stack and turn."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    rows = [
        (f"{stack}\n{kind}", entry)
        for stack, kinds in table.items()
        for kind, entry in kinds.items()
    ]
    figure, axes = pyplot.subplots(figsize=(9, 0.7 * len(rows) + 1.5))
    for index, (_label, entry) in enumerate(rows):
        start = 0.0
        for segment, (name, stage) in enumerate(SEGMENTS):
            if stage not in entry:
                continue
            end = max(entry[stage]["median"], start)
            axes.barh(
                index,
                end - start,
                left=start,
                color=f"C{segment}",
                label=name if index == 0 else None,
            )
            start = end
    axes.set_yticks(range(len(rows)), [label for label, _ in rows])
    axes.invert_yaxis()
    axes.set_xlabel("seconds after the last word (median)")
    axes.legend(loc="lower right", fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def write_reports(samples: Sequence[TurnSample], out: Path) -> list[Path]:
    """latency.md, latency.json and latency.png in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    table = summaries(samples)
    stacks = list(table)
    paired = ratios(samples, "Hybrid Voice", "Reference") if len(stacks) > 1 else {}
    paths = [out / "latency.md", out / "latency.json", out / "latency.png"]
    paths[0].write_text(markdown(samples, table, paired))
    data = {"summaries": table, "ratios": paired, "samples": [asdict(s) for s in samples]}
    paths[1].write_text(json.dumps(data, indent=2))
    chart(table, paths[2])
    return paths

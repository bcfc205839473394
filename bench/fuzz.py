"""Fuzz the servers with many random and mutated requests; report what they did.

`.venv/ha/bin/python -m bench.fuzz --target stt --cases 10000` runs the fuzz campaign of
`tests/<target>/test_fuzz.py` with that many streams (the CI profile runs a short one)
and writes `bench/reports/fuzz.md` and `.json`: per target the cases run, error
replies, connections the server closed early, hangs over 10 s, crashes, internal errors,
task exceptions in the log, RSS and descriptors before and after, and whether a valid
request still worked afterwards. Rows of targets not run this time are kept from the
previous report.

Targets: `stt`, `tts`, `satellite` (Wyoming event streams, run through pytest in a
child process, so this module imports no test code), and `llm` (the LLM server's HTTP
front, `bench/fuzz_llm.py`, whose tally has the same keys; see `TargetRow`). `all`, or
no `--target`, runs the four.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.fuzz_llm import fuzz_llm

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "bench" / "reports"
WYOMING_TARGETS = ("stt", "tts", "satellite")
TARGETS = (*WYOMING_TARGETS, "llm")


@dataclass(frozen=True)
class TargetRow:
    """One target's line of the report."""

    target: str
    stats: dict[str, Any]

    def cells(self) -> list[str]:
        """The markdown table cells."""
        stats = self.stats
        before = stats.get("before") or {}
        after = stats.get("after") or {}
        return [
            self.target,
            str(stats.get("cases", 0)),
            str(stats.get("error_replies", 0)),
            str(stats.get("closes", 0)),
            str(stats.get("hangs", 0)),
            str(stats.get("crashes", 0)),
            str(stats.get("internal_errors", 0)),
            str(stats.get("task_exceptions", 0)),
            f"{_mb(before.get('rss_kb'))} -> {_mb(after.get('rss_kb'))}",
            f"{before.get('fds', '?')} -> {after.get('fds', '?')}",
            "yes" if stats.get("valid_request_after") else "NO",
            f"{stats.get('seconds', 0):.0f}",
        ]


HEADER = [
    "target",
    "cases",
    "error replies",
    "closed early",
    "hangs > 10 s",
    "crashes",
    "internal errors",
    "task exceptions",
    "RSS MB before -> after",
    "fds before -> after",
    "valid request after",
    "seconds",
]


def _mb(kb: object) -> str:
    return f"{int(kb) / 1024:.0f}" if isinstance(kb, int) else "?"


def fuzz_wyoming(target: str, cases: int, time_cap: float | None) -> dict[str, Any]:
    """Run the pytest campaign of `target` with `cases` streams; its tally."""
    with tempfile.TemporaryDirectory() as scratch:
        stats_path = Path(scratch) / "stats.json"
        env = {
            **os.environ,
            "HYBRID_VOICE_FUZZ_CASES": str(cases),
            "HYBRID_VOICE_FUZZ_STATS": str(stats_path),
            "HYBRID_VOICE_SERVERS_BIN": os.environ.get(
                "HYBRID_VOICE_SERVERS_BIN", str(ROOT / ".venv" / "servers" / "bin")
            ),
        }
        if time_cap is not None:
            env["HYBRID_VOICE_FUZZ_SECONDS"] = str(time_cap)
        test = f"tests/{target}/test_fuzz.py"
        result = subprocess.run(
            [sys.executable, "-m", "pytest", test, "-q", "-p", "no:cacheprovider"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if not stats_path.exists():
            raise RuntimeError(f"{test} wrote no tally:\n{result.stdout[-3000:]}")
        stats: dict[str, Any] = json.loads(stats_path.read_text())
    stats["pytest_passed"] = result.returncode == 0
    return stats


def fuzz_target(target: str, cases: int, time_cap: float | None) -> dict[str, Any]:
    """Dispatch to the target's campaign."""
    if target in WYOMING_TARGETS:
        return fuzz_wyoming(target, cases, time_cap)
    stats: dict[str, Any] = fuzz_llm(cases, time_cap)
    return stats


def write_report(rows: dict[str, dict[str, Any]], cases: int) -> Path:
    """bench/reports/fuzz.md and fuzz.json from every target's latest tally."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "fuzz.json").write_text(json.dumps(rows, indent=1))
    lines = [
        "# Fuzz campaigns",
        "",
        f"Written by `python -m bench.fuzz` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        f" (this run asked for {cases} cases per target; a time cap may stop a campaign"
        " earlier: `cases` is what ran). The machine was shared with other work.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    lines += ["| " + " | ".join(TargetRow(t, s).cells()) + " |" for t, s in sorted(rows.items())]
    for target, stats in sorted(rows.items()):
        codes = ", ".join(
            f"{code}: {n}" for code, n in sorted(stats.get("error_codes", {}).items())
        )
        passed = stats.get("pytest_passed")
        verdict = "n/a" if passed is None else "passed" if passed else "FAILED"
        lines += [
            "",
            f"## {target}",
            "",
            f"Error codes answered: {codes or 'none'}. Streams whose client left without"
            f" waiting for an answer: {stats.get('client_left', 'n/a')}. The campaign's own"
            f" checks afterwards: {verdict}.",
        ]
        for kind, examples in sorted(stats.get("examples", {}).items()):
            lines += [f"- {kind}: `{example[:300]}`" for example in examples]
    path = REPORTS / "fuzz.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> None:
    """Command line: targets, cases, time cap."""
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__)
    parser.add_argument("--target", choices=(*TARGETS, "all"), action="append")
    parser.add_argument("--cases", type=int, default=10_000, help="streams per target")
    parser.add_argument(
        "--time-cap", type=float, help="seconds per target after which no new case starts"
    )
    args = parser.parse_args()
    targets = list(TARGETS) if not args.target or "all" in args.target else args.target
    previous = REPORTS / "fuzz.json"
    rows: dict[str, dict[str, Any]] = json.loads(previous.read_text()) if previous.exists() else {}
    for target in targets:
        print(f"fuzzing {target} with {args.cases} cases ...", flush=True)
        rows[target] = fuzz_target(target, args.cases, args.time_cap)
        print(" | ".join(TargetRow(target, rows[target]).cells()), flush=True)
        write_report(rows, args.cases)
    print(f"report: {write_report(rows, args.cases)}")


if __name__ == "__main__":
    main()

"""A fuzz campaign against one running server: many streams, then a health check.

Every stream runs on its own connection and is tallied (error replies, connections the
server closed early, hangs, internal errors). Afterwards the server must still answer
a valid request, must have logged no task exception or traceback, and its descriptors
must be back to where they were. The number of streams comes from
`HYBRID_VOICE_FUZZ_CASES` (the short CI profile by default; then the streams are the same
on every run), `HYBRID_VOICE_FUZZ_SECONDS` caps the time; with `HYBRID_VOICE_FUZZ_STATS`
set, the tally is written there as JSON for `bench/fuzz.py`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

from tests.servers import RunningServer

from .probe import Outcome, run_stream
from .wyoming_streams import WyomingStream, wyoming_streams
from .wyoming_vocabulary import Target

CI_CASES = 120
LOG_PROBLEMS = ("Task exception was never retrieved", "Traceback", "Exception in callback")
EXAMPLES_KEPT = 3
# A leak grows with the number of streams; the allocators' high-water marks (piper's
# grows with the longest piece spoken, about 24 MB per second of speech) stay far below.
MAX_RSS_GROWTH_KB = 256 * 1024


@dataclass(frozen=True)
class ProcessSample:
    """Memory and descriptors of the server process at one moment."""

    rss_kb: int
    fds: int


def sample(pid: int) -> ProcessSample:
    """Resident memory (kB) and open descriptors of process `pid`, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return ProcessSample(rss, len(os.listdir(f"/proc/{pid}/fd")))


def settle_fds(pid: int, baseline: int, limit: float = 15.0) -> int:
    """Descriptors of `pid` once closed connections are gone (or after `limit` seconds)."""
    deadline = time.monotonic() + limit
    fds = sample(pid).fds
    while fds > baseline and time.monotonic() < deadline:
        time.sleep(0.2)
        fds = sample(pid).fds
    return fds


def log_problems(log: str) -> list[str]:
    """Lines of a server log that report an exception nobody handled."""
    return [line for line in log.splitlines() if any(p in line for p in LOG_PROBLEMS)]


@dataclass
class FuzzTally:
    """Counts of one campaign, plus a few example streams for each kind of trouble."""

    target: str
    cases: int = 0
    error_replies: int = 0
    closes: int = 0
    client_left: int = 0
    hangs: int = 0
    cut_off: int = 0
    crashes: int = 0
    internal_errors: int = 0
    malformed_replies: int = 0
    task_exceptions: int = 0
    error_codes: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    before: ProcessSample | None = None
    after: ProcessSample | None = None
    valid_request_after: bool = False
    seconds: float = 0.0

    def add(self, stream: WyomingStream, outcome: Outcome) -> None:
        """Count one stream's outcome."""
        self.cases += 1
        self.error_replies += bool(outcome.errors)
        self.closes += outcome.send_failed
        self.client_left += stream.ending != "eof"
        self.cut_off += outcome.cut_off
        for error in outcome.errors:
            code = str(error.get("code"))
            self.error_codes[code] = self.error_codes.get(code, 0) + 1
        self.hangs += outcome.hang
        self.internal_errors += bool(outcome.internal_errors)
        self.malformed_replies += outcome.malformed is not None
        detail = "; ".join(outcome.internal_errors) or outcome.malformed or "no answer"
        for kind, happened in (
            ("hang", outcome.hang),
            ("internal error", bool(outcome.internal_errors)),
            ("malformed reply", outcome.malformed is not None),
        ):
            kept = self.examples.setdefault(kind, []) if happened else None
            if kept is not None and len(kept) < EXAMPLES_KEPT:
                kept.append(f"{stream.summary()} -> {detail}")

    @property
    def troubles(self) -> list[str]:
        """Everything that must be zero, described; empty when the campaign is clean."""
        counts = {
            "hangs": self.hangs,
            "crashes": self.crashes,
            "internal errors": self.internal_errors,
            "malformed replies": self.malformed_replies,
            "task exceptions or tracebacks logged": self.task_exceptions,
        }
        found = [f"{count} {name}" for name, count in counts.items() if count]
        if not self.valid_request_after:
            found.append("a valid request failed afterwards")
        if self.before and self.after and self.after.fds > self.before.fds:
            found.append(f"descriptors {self.before.fds} -> {self.after.fds}")
        if (
            self.before
            and self.after
            and self.after.rss_kb - self.before.rss_kb > MAX_RSS_GROWTH_KB
        ):
            found.append(f"resident memory {self.before.rss_kb} kB -> {self.after.rss_kb} kB")
        return found + [f"{kind}: {ex}" for kind, exs in self.examples.items() for ex in exs]


def campaign_cases() -> int:
    """Streams per campaign: the CI profile unless `HYBRID_VOICE_FUZZ_CASES` says more."""
    return int(os.environ.get("HYBRID_VOICE_FUZZ_CASES", CI_CASES))


def run_campaign(
    target: Target, server: RunningServer, valid_request: Callable[[], bool]
) -> FuzzTally:
    """Fuzz `server` with `campaign_cases()` streams, then check its health."""
    tally = FuzzTally(target)
    pid = server.process.pid
    tally.valid_request_after = valid_request()  # warms the server up before the baseline
    tally.before = sample(pid)
    began = time.monotonic()
    bench = "HYBRID_VOICE_FUZZ_CASES" in os.environ
    cap = os.environ.get("HYBRID_VOICE_FUZZ_SECONDS")
    deadline = began + float(cap) if cap else None

    @settings(
        max_examples=campaign_cases(),
        deadline=None,
        database=None,
        derandomize=not bench,  # CI runs the same streams every time
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(wyoming_streams(target))
    def one_stream(stream: WyomingStream) -> None:
        if deadline is not None and time.monotonic() > deadline:
            return  # out of time: the remaining examples are drawn but not sent
        if server.process.poll() is None:
            tally.add(stream, run_stream(server.port, stream))
        elif not tally.crashes:
            tally.crashes = 1
            tally.examples["crash"] = [stream.summary()]

    one_stream()
    tally.seconds = time.monotonic() - began
    if server.process.poll() is None:
        settle_fds(pid, tally.before.fds)
        tally.valid_request_after = valid_request()
        settle_fds(pid, tally.before.fds)  # the valid request's connection closes too
        tally.after = sample(pid)
    problems = log_problems(server.log())
    tally.task_exceptions = len(problems)
    if problems:
        tally.examples["logged"] = problems[:EXAMPLES_KEPT]
    _write_stats(tally)
    return tally


def _write_stats(tally: FuzzTally) -> None:
    path = os.environ.get("HYBRID_VOICE_FUZZ_STATS")
    if path:
        Path(path).write_text(json.dumps(asdict(tally), indent=1))

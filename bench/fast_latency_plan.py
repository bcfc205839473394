"""What one fast-path latency run measures, handed to the pytest session as a plugin."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest


@dataclass(frozen=True)
class TurnTiming:
    """Seconds of one turn, from the utterance to its first words in the chat log."""

    text: str
    total: float
    before_cloud: float  # utterance -> the stand-in has the request (ours)
    cloud: float  # the stand-in's own wait before its first delta (not ours)
    after_cloud: float  # first delta sent -> in the chat log (ours)

    @property
    def added(self) -> float:
        """What the agent adds to the provider's time to first words."""
        return self.before_cloud + self.after_cloud


@dataclass(eq=False)  # pytest keeps plugins in sets: hashed by identity
class LatencyPlan:
    """Turns to time and the stand-in's latency; collects the timings."""

    turns: int
    latency_ms: float
    timings: list[TurnTiming] = field(default_factory=list)
    first: TurnTiming | None = None  # the first turn after start-up
    errors: list[str] = field(default_factory=list)
    connections: int = 0

    @pytest.fixture
    def latency_plan(self) -> LatencyPlan:
        """The plan, for the session's test."""
        return self

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep the failure text of a run that broke."""
        if report.failed:
            self.errors.append(f"{report.nodeid}: {report.longreprtext[-3000:]}")

    def record(self, first: bool, timing: TurnTiming) -> None:
        """One measured turn; the first after start-up is kept apart."""
        if first:
            self.first = timing
        else:
            self.timings.append(timing)

"""What one evaluation run does, handed to the pytest session as a plugin object.

`bench/eval.py` builds an `EvalPlan`, runs pytest on `bench/eval_session.py` with the
plan as a plugin, and reads `plan.results` afterwards. The plan parametrizes the
session's test by home and gives it to the test as the `eval_plan` fixture.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pytest

from bench.eval_report import SentenceResult


@dataclass(eq=False)  # pytest keeps plugins in sets: hashed by identity
class EvalPlan:
    """The homes, the model and the options of a run, and what it found."""

    homes: list[Path]
    model: str
    url: str | None  # None: instant tier only, no model
    files: list[str] = field(default_factory=list)
    limit: int | None = None  # sentences per test file
    instant: bool = True  # the agent's instant tier on (off: every sentence is thought)
    timeout: float = 120.0
    # Grown homes: a "which one" question that lists the device a sentence is about
    # gets the reply a user would give (its name), and the sentence is scored after it.
    answer_choices: bool = False
    parts: dict[Path, str] = field(default_factory=dict)  # home -> part of the set (own, ...)
    results: list[SentenceResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    home_errors: list[str] = field(default_factory=list)
    progress: TextIO = field(default_factory=lambda: sys.stderr)

    @property
    def instant_only(self) -> bool:
        """Whether only Home Assistant's sentence matching runs (no model)."""
        return self.url is None

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """One `test_home` per home."""
        if "home_dir" in metafunc.fixturenames:
            metafunc.parametrize("home_dir", self.homes, ids=[home.name for home in self.homes])

    @pytest.fixture
    def eval_plan(self) -> EvalPlan:
        """The plan, as the session's fixture."""
        return self

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """A home whose test failed is a harness error of the run."""
        if report.failed:
            self.errors.append(f"{report.nodeid}: {report.longreprtext[-3000:]}")

    def part_of(self, home: Path) -> str:
        """The part of the set a home belongs to (`own` unless the plan says otherwise)."""
        return self.parts.get(home, "own")

    def home_error(self, home: Path, message: str) -> None:
        """A home that could not run: its message names the file and entry."""
        self.home_errors.append(message)
        print(f"HOME {home.name} skipped: {message}", file=self.progress, flush=True)

    def record(self, result: SentenceResult) -> None:
        """Keep one sentence's result and print its line of progress.

        A failure's line has its problems and answer, so a run cut short still says why.
        """
        self.results.append(result)
        mark = "ok  " if result.passed else "FAIL"
        why = "" if result.passed else f"  [{'; '.join(result.problems)}] {result.speech!r}"
        print(
            f"{mark} {result.path:7} {result.seconds * 1000:7.0f} ms  "
            f"{result.home}/{result.file}: {result.sentence}{why}",
            file=self.progress,
            flush=True,
        )

"""Whether a path (fast or think) is worth trying: a circuit breaker with rolling latency.

A path that failed `failure_threshold` times in a row, or whose recent replies were
slow (the median of the last `window` latencies over `slow_seconds`), is *open*: turns
skip it instead of waiting for it. After `retry_after` seconds a probe is due; the
caller runs one in the background (connect, list models) and reports the outcome: a
success closes the breaker by itself, a failure keeps it open for another period.
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class PathHealth:
    """The breaker of one path. `clock` is monotonic seconds."""

    name: str
    failure_threshold: int = 2
    retry_after: float = 30.0
    slow_seconds: float = 5.0
    window: int = 5
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    opened_at: float | None = None
    reason: str = ""
    probing: bool = False
    _latencies: deque[float] = field(default_factory=deque)

    @property
    def is_open(self) -> bool:
        """Turns skip this path."""
        return self.opened_at is not None

    def record_success(self, latency: float) -> None:
        """A turn on this path answered after `latency` seconds."""
        self.failures = 0
        self._latencies.append(latency)
        while len(self._latencies) > self.window:
            self._latencies.popleft()
        if len(self._latencies) == self.window:
            median = statistics.median(self._latencies)
            if median > self.slow_seconds:
                self._open(f"slow: median {median:.1f} s over the last {self.window} replies")

    def record_failure(self, reason: str) -> None:
        """A turn on this path failed."""
        self.failures += 1
        if self.failures >= self.failure_threshold:
            self._open(reason)

    def probe_due(self) -> bool:
        """Open long enough that a background probe should run now (claims it)."""
        if self.opened_at is None or self.probing:
            return False
        if self.clock() - self.opened_at < self.retry_after:
            return False
        self.probing = True
        return True

    def probe_finished(self, ok: bool) -> None:
        """Outcome of the probe claimed by `probe_due`."""
        self.probing = False
        if ok:
            self.opened_at = None
            self.failures = 0
            self.reason = ""
            self._latencies.clear()
        else:
            self.opened_at = self.clock()

    def _open(self, reason: str) -> None:
        if self.opened_at is None:
            self.opened_at = self.clock()
        self.reason = reason

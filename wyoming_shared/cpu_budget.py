"""How many CPU threads a server may use, and how many CPUs are free right now.

`--threads auto` gives a server every CPU the process may run on, so a reply is fast on
an idle machine; the servers then use fewer when other processes keep CPUs busy: the
voice starts a second piece only while CPUs are free (tts/synthesizer.py), the local
model evaluates each batch with as many threads as CPUs are free (llm/thread_choice.py).
How busy the others are is read from /proc/stat, minus this process's own CPU time,
over about the last second; one reading costs a few microseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

AUTO = "auto"
SAMPLE_EVERY = 0.25  # seconds between readings of /proc/stat
WINDOW = 4  # readings kept: the load is averaged over the last ~1 s
PROC_STAT = Path("/proc/stat")
PROC_TASKS = Path("/proc/self/task")


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask), at least 1."""
    return max(1, os.process_cpu_count() or 1)


def thread_budget(value: str) -> int:
    """An argparse type for --threads: 'auto' (every available CPU) or a whole number >= 1."""
    if value.strip().lower() == AUTO:
        return available_cpus()
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            f"must be '{AUTO}' or a whole number of threads of at least 1, not {value!r}"
        )
    return number


@dataclass(frozen=True)
class CpuReading:
    """One look at the machine's CPU counters and this process's CPU time."""

    wall: float  # time.monotonic()
    machine_busy: float  # seconds of CPU time all CPUs spent busy since boot
    own: float  # seconds of CPU time this process used


def read_cpu() -> CpuReading | None:
    """The counters now; None where /proc/stat cannot be read (not Linux)."""
    try:
        fields = PROC_STAT.read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(field) for field in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    busy = sum(ticks[:8]) - idle  # guest time is already inside user time
    return CpuReading(time.monotonic(), busy / os.sysconf("SC_CLK_TCK"), time.process_time())


def others_running() -> int | None:
    """Threads of other processes running or ready to run this instant.

    None where /proc cannot be read. The machine's count (`procs_running`) minus the
    threads of this process that are running, the caller's own among them.
    """
    try:
        stat = PROC_STAT.read_text()
        tasks = list(PROC_TASKS.iterdir())
    except OSError:
        return None
    running = next(
        (int(line.split()[1]) for line in stat.splitlines() if line.startswith("procs_running")),
        None,
    )
    if running is None:
        return None
    own = 0
    for task in tasks:
        try:
            # The state follows the command name, which ends with the last ")".
            own += (task / "stat").read_text().rsplit(")", 1)[1].split()[0] == "R"
        except (OSError, IndexError):
            continue  # the thread has just ended
    return max(0, running - own)


class CpuGauge:
    """CPUs that other processes left free over the last second or so."""

    def __init__(self, cpus: int | None = None) -> None:
        self.cpus = cpus or os.cpu_count() or 1
        self._readings: deque[CpuReading] = deque(maxlen=WINDOW + 1)
        self._sampler: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start reading the counters in the background (needs a running event loop)."""
        if self._sampler is None:
            self._sampler = asyncio.get_running_loop().create_task(self._sample())

    async def _sample(self) -> None:
        while True:
            reading = read_cpu()
            if reading is None:
                return
            self._readings.append(reading)
            await asyncio.sleep(SAMPLE_EVERY)

    def free(self) -> float:
        """CPUs not used by other processes (all of them while nothing is known yet)."""
        if len(self._readings) < 2:
            return float(self.cpus)
        first, last = self._readings[0], self._readings[-1]
        wall = last.wall - first.wall
        if wall <= 0:
            return float(self.cpus)
        others = (last.machine_busy - first.machine_busy - (last.own - first.own)) / wall
        return min(float(self.cpus), max(0.0, self.cpus - others))

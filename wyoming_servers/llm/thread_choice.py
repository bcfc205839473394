"""Evaluate each batch with as many threads as there are free CPUs (`--threads auto`).

llama.cpp splits every batch across its threads and waits for the slowest: one thread
more than there are free CPUs makes a batch wait for a CPU another process holds (twice
as slow on a 2-core machine with one core busy), one thread fewer leaves a CPU idle
(half as fast on an idle 2-core machine). During a voice turn the speech-to-text server
has finished when the model starts, so the model gets every CPU; while something else
keeps a CPU busy, it uses the rest. The count is chosen again before every batch (a
prompt chunk or one generated token), so it follows the machine within a reply.

A CPU counts as free when the last second left it free, or when no other process runs
on it this instant: the turn's prompt arrives a moment after speech-to-text has worked
hard, which the last second still shows, and a process that keeps a CPU busy shows in
both readings.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wyoming_shared.cpu_budget import CpuGauge, others_running

if TYPE_CHECKING:
    from llama_cpp import Llama

_LOGGER = logging.getLogger(__name__)
# A CPU counts as free when other processes leave at least this much of it idle.
FREE_ENOUGH = 0.7


def threads_for(free_cpus: float, most: int) -> int:
    """Threads for the next batch: the CPUs free enough, between 1 and `most`."""
    whole = int(free_cpus)
    if free_cpus - whole >= FREE_ENOUGH:
        whole += 1
    return max(1, min(most, whole))


def follow_free_cpus(llama: Llama, gauge: CpuGauge, most: int) -> None:
    """Make `llama` set its thread count from the free CPUs before each evaluation."""
    import llama_cpp  # the model server's environment only

    evaluate = llama.eval
    context = llama.ctx
    current = [llama.n_threads]

    def eval_on_free_cpus(tokens: Sequence[int]) -> None:
        running = others_running()
        free_now = gauge.cpus - running if running is not None else 0.0
        threads = threads_for(max(gauge.free(), free_now), most)
        if threads != current[0]:
            llama_cpp.llama_set_n_threads(context, threads, threads)
            _LOGGER.debug("model threads: %d -> %d", current[0], threads)
            current[0] = threads
        evaluate(tokens)

    llama.eval = eval_on_free_cpus  # type: ignore[method-assign]

"""Fair, bounded access to the one shared model.

Every connection submits decode jobs here instead of calling the model. A fixed number
of workers take jobs first come, first served; final decodes (the client is waiting)
go before speculative ones (decoding ahead during a pause), and speculation only
starts when a worker would otherwise be idle. The number of waiting final decodes is
bounded: beyond it, a request fails at once with `ServerBusy` instead of queueing for
ever. Cancelled jobs are skipped, so a client that disconnects costs nothing more.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from wyoming_shared.audio import Samples

from .transcriber import Decoded, WhisperTranscriber

_LOGGER = logging.getLogger(__name__)


class ServerBusy(Exception):
    """Too many requests are waiting for the model."""


@dataclass(order=True)
class DecodeJob:
    """One audio buffer to decode; finals sort before speculative decodes, then by arrival."""

    speculative: bool
    sequence: int
    audio: Samples = field(compare=False)
    language: str | None = field(compare=False)
    prompt: str | None = field(compare=False)
    future: asyncio.Future[Decoded] = field(compare=False)
    wanted: Callable[[], bool] = field(compare=False, default=lambda: True)
    started: bool = field(compare=False, default=False)

    def cancel(self) -> None:
        """Give up on the result; a job that has not started yet is skipped."""
        self.future.cancel()


class DecodeQueue:
    """A bounded priority queue of decodes served by a fixed pool of worker threads."""

    def __init__(
        self, transcriber: WhisperTranscriber, workers: int = 1, max_waiting: int = 32
    ) -> None:
        self.transcriber = transcriber
        self.workers = workers
        self.max_waiting = max_waiting
        self._jobs: asyncio.PriorityQueue[DecodeJob] | None = None
        self._busy = 0
        self._waiting_finals = 0
        self._sequence = itertools.count()
        self._tasks: list[asyncio.Task[None]] = []
        # Decodes always run on the same few threads: stable memory, warm caches.
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="decode")

    @property
    def idle(self) -> bool:
        """A worker is free and nothing waits."""
        return self._busy < self.workers and (self._jobs is None or self._jobs.empty())

    @property
    def waiting(self) -> int:
        """How many jobs wait for a worker."""
        return 0 if self._jobs is None else self._jobs.qsize()

    def submit(
        self,
        audio: Samples,
        language: str | None,
        prompt: str | None,
        speculative: bool = False,
        wanted: Callable[[], bool] | None = None,
    ) -> DecodeJob:
        """Queue one decode; ServerBusy when too many final decodes already wait."""
        jobs = self._start()
        if not speculative and self._waiting_finals >= self.max_waiting:
            raise ServerBusy(f"server busy: {self._waiting_finals} requests are already waiting")
        job = DecodeJob(
            speculative,
            next(self._sequence),
            audio,
            language,
            prompt,
            asyncio.get_running_loop().create_future(),
            wanted or (lambda: True),
        )
        if not speculative:
            self._waiting_finals += 1
        jobs.put_nowait(job)
        return job

    def _start(self) -> asyncio.PriorityQueue[DecodeJob]:
        if self._jobs is None:
            self._jobs = asyncio.PriorityQueue()
            self._tasks = [
                asyncio.create_task(self._work(), name=f"decode worker {n}")
                for n in range(self.workers)
            ]
        return self._jobs

    async def _work(self) -> None:
        assert self._jobs is not None
        while True:
            job = await self._jobs.get()
            if not job.speculative:
                self._waiting_finals -= 1
            if job.future.done() or not job.wanted():
                job.future.cancel()
                continue
            job.started = True
            self._busy += 1
            began = time.monotonic()
            try:
                decoded = await asyncio.get_running_loop().run_in_executor(
                    self._threads, self.transcriber.decode, job.audio, job.language, job.prompt
                )
            except Exception as err:  # reported to the waiting request
                if job.speculative:
                    _LOGGER.debug("speculative decode failed: %s", err)
                    job.future.cancel()
                elif not job.future.done():
                    job.future.set_exception(err)
            else:
                if not job.future.done():
                    job.future.set_result(decoded)
            finally:
                self._busy -= 1
            _LOGGER.debug(
                "%s decode of %.2f s audio took %.3f s",
                "speculative" if job.speculative else "final",
                job.audio.size / 16000,
                time.monotonic() - began,
            )

    async def stop(self) -> None:
        """Cancel the workers and wait until they have ended."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        self._threads.shutdown(wait=False, cancel_futures=True)

"""Blocking reads of stdin or a named pipe, off the event loop, that never delay an exit.

`asyncio.to_thread` runs calls in the loop's default executor, whose threads the
interpreter joins on the way out: a satellite blocked on a pipe with no writer (or on an
idle stdin) then ignores SIGTERM until it is killed. These calls run on a daemon thread
of their own instead, which an exiting process leaves behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any

type _Job = tuple[Callable[[], Any], asyncio.AbstractEventLoop, asyncio.Future[Any]]


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # the caller was cancelled (the satellite is stopping)
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class DaemonCaller:
    """Runs blocking calls one at a time on a daemon thread, awaited from the loop."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        threading.Thread(target=self._work, name=name, daemon=True).start()

    async def call[T](self, func: Callable[[], T]) -> T:
        """The result of `func()`, run on the daemon thread."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((func, loop, future))
        return await future

    def _work(self) -> None:
        while True:
            func, loop, future = self._jobs.get()
            result: Any = None
            error: BaseException | None = None
            try:
                result = func()
            except Exception as err:  # handed to the awaiting caller
                error = err
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
                loop.call_soon_threadsafe(_settle, future, result, error)

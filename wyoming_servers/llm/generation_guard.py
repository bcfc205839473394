"""Stop generating for a client that has gone, and count the tokens the model generates.

llama-cpp-python runs a non-streaming request to its end in a worker thread, even when
the client has long closed the connection, and the next request waits for it. Here the
HTTP front marks the request's `RequestGuard` when its client disconnects; the model,
before each batch it evaluates (one generated token, or up to `n_batch` prompt tokens),
checks the guard of the request it runs for and raises `ClientGone`. The front catches it.

`ClientGone` is a `BaseException` on purpose: it must pass through llama-cpp-python's
and Starlette's `except Exception` handlers, which would turn it into a 500 and a
traceback in the log; nobody is left to read that answer.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llama_cpp import Llama


class ClientGone(BaseException):
    """Raised in the model's thread when the request's client has disconnected."""


@dataclass
class GenerationStats:
    """Counts since start, reported by `GET /health`."""

    generated_tokens: int = 0
    stopped_generations: int = 0  # requests whose generation stopped as the client left

    def as_health(self) -> dict[str, int]:
        """The counts as `/health` lists them."""
        return {
            "generated_tokens": self.generated_tokens,
            "stopped_generations": self.stopped_generations,
        }


class RequestGuard:
    """One request's link between the HTTP front (event loop) and the model's thread."""

    def __init__(self) -> None:
        """Start with the client present and nothing generated."""
        self._gone = threading.Event()
        self.left = asyncio.Event()  # the same news, for the event loop
        self.generated_tokens = 0
        self.stopped = False  # the model stopped because the client left

    def client_left(self) -> None:
        """Mark the client as gone; the model stops at its next batch."""
        self._gone.set()
        self.left.set()

    def check(self) -> None:
        """In the model's thread: raise `ClientGone` if the client has left."""
        if self._gone.is_set():
            self.stopped = True
            raise ClientGone


_CURRENT: ContextVar[RequestGuard | None] = ContextVar("llm_request_guard", default=None)


def guard_requests(guard: RequestGuard) -> Callable[[], None]:
    """Make `guard` the current request's (threads started from here inherit it).

    Returns the function that restores the previous one.
    """
    token = _CURRENT.set(guard)
    return lambda: _CURRENT.reset(token)


def watch_generation(llama: Llama, stats: GenerationStats) -> None:
    """Make `llama` check the current request's guard and count what it samples."""
    evaluate = llama.eval
    sample = llama.sample
    batch = max(1, llama.n_batch)

    def checked_eval(tokens: Sequence[int]) -> None:
        guard = _CURRENT.get()
        if guard is None or len(tokens) <= batch:
            if guard is not None:
                guard.check()
            evaluate(tokens)
            return
        for start in range(0, len(tokens), batch):
            guard.check()
            evaluate(tokens[start : start + batch])

    def counted_sample(*args: Any, **kwargs: Any) -> int:
        token: int = sample(*args, **kwargs)
        stats.generated_tokens += 1
        if (guard := _CURRENT.get()) is not None:
            guard.generated_tokens += 1
        return token

    llama.eval = checked_eval  # type: ignore[method-assign]
    llama.sample = counted_sample  # type: ignore[method-assign]

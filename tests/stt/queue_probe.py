"""Runs in the servers' environment: the decode queue's admission, in a fixed order.

A stand-in transcriber holds the one worker until the probe releases it, so which
request waits and which is refused depends on the order of events, not on speed.
`test_decode_queue.py` runs this file with the servers' Python and checks the JSON.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import numpy as np

from wyoming_servers.stt.decode_queue import DecodeQueue, ServerBusy
from wyoming_servers.stt.transcriber import Decoded


class HeldTranscriber:
    """Decodes to the audio's length in samples, once `release` is set."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def decode(self, audio: Any, language: str | None, prompt: str | None = None) -> Decoded:
        """Signal that a decode began, wait for the release, name the audio's length."""
        self.entered.set()
        self.release.wait(60)
        return Decoded(text=str(audio.size), language=language)


def audio(samples: int) -> Any:
    """Silence of `samples` samples."""
    return np.zeros(samples, dtype=np.float32)


async def probe() -> dict[str, Any]:
    """Fill the one worker and the one waiting place, then ask for more."""
    transcriber = HeldTranscriber()
    queue = DecodeQueue(transcriber, workers=1, max_waiting=1)  # type: ignore[arg-type]
    running = queue.submit(audio(1), None, None)
    await asyncio.to_thread(transcriber.entered.wait, 60)  # the worker holds it now
    waiting = queue.submit(audio(2), None, None)
    outcomes: dict[str, Any] = {"waiting_while_held": queue.waiting}
    try:
        queue.submit(audio(3), None, None)
        outcomes["third_final"] = "accepted"
    except ServerBusy as err:
        outcomes["third_final"] = f"refused: {err}"
    speculative = queue.submit(audio(4), None, None, speculative=True)
    transcriber.release.set()
    outcomes["results"] = [(await job.future).text for job in (running, waiting, speculative)]
    after = queue.submit(audio(5), None, None)
    outcomes["after_release"] = (await after.future).text
    await queue.stop()
    return outcomes


if __name__ == "__main__":
    print(json.dumps(asyncio.run(probe())))

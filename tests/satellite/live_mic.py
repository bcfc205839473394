"""A live microphone for tests: a named pipe fed with real-time audio.

Silence flows continuously, as from a real microphone in a quiet room; `say` mixes in
a recording at the next chunk.
"""

from __future__ import annotations

import os
import queue
import threading
import time
import wave
from pathlib import Path

RATE = 16000
CHUNK_SAMPLES = 512
CHUNK_BYTES = CHUNK_SAMPLES * 2


class LiveMic:
    def __init__(self, fifo: Path) -> None:
        self.fifo = fifo
        if not fifo.exists():
            os.mkfifo(fifo)
        self._speech: queue.Queue[bytes] = queue.Queue()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def say(self, wav_path: Path) -> None:
        with wave.open(str(wav_path), "rb") as wav:
            assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (RATE, 1, 2)
            self._idle.clear()
            self._speech.put(wav.readframes(wav.getnframes()))

    def wait_said(self, timeout: float = 60.0) -> bool:
        """Block until everything queued has been 'spoken'."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        with self.fifo.open("wb", buffering=0) as pipe:
            started = time.monotonic()
            sent = 0
            pending = b""
            while not self._stop.is_set():
                if not pending:
                    try:
                        pending = self._speech.get_nowait()
                    except queue.Empty:
                        self._idle.set()
                chunk, pending = (pending[:CHUNK_BYTES], pending[CHUNK_BYTES:])
                chunk = chunk.ljust(CHUNK_BYTES, b"\0")
                try:
                    pipe.write(chunk)
                except BrokenPipeError:
                    return
                sent += CHUNK_SAMPLES
                delay = started + sent / RATE - time.monotonic()
                if delay > 0:
                    time.sleep(delay)

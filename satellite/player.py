"""Plays sounds one after another: spoken replies streamed by Home Assistant and feedback tones.

A reply can be cut short at any moment (`interrupt`, used for barge-in): the sound being
played stops at once and whatever is still queued or still arriving for it is dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from wyoming_shared.audio import PcmFormat, convert_pcm

from .sounds import Sound
from .speaker import REPLY_KINDS, Speaker

_LOGGER = logging.getLogger(__name__)

FinishedCallback = Callable[[str, bool], Awaitable[None]]
StartedCallback = Callable[[str], None]


@dataclass(frozen=True)
class _Item:
    generation: int
    action: str  # start | chunk | end
    kind: str = ""
    format: PcmFormat | None = None
    pcm: bytes = b""


class Player:
    """Plays sounds and streamed replies one after another on the speaker, interruptibly."""

    def __init__(
        self, speaker: Speaker, on_started: StartedCallback, on_finished: FinishedCallback
    ) -> None:
        self.speaker = speaker
        self.on_started = on_started
        self.on_finished = on_finished
        self._queue: asyncio.Queue[_Item] = asyncio.Queue()
        self._generation = 0
        self._replies = 0  # reply sounds queued or playing
        self._stream_kind: str | None = None  # the stream Home Assistant is sending
        self._dropping = False  # rest of an interrupted stream
        self._playing: asyncio.Task[None] | None = None
        self.playing_kind: str | None = None

    @property
    def speaking(self) -> bool:
        """A spoken reply or announcement is playing or about to play."""
        return self._replies > 0

    # Streams from Home Assistant ------------------------------------------------------
    def stream_start(self, fmt: PcmFormat, kind: str) -> None:
        """Start a streamed sound (a reply or an announcement) from Home Assistant."""
        if self._stream_kind is not None and not self._dropping:
            self._put("end")  # a new stream without AudioStop for the previous one
        self._dropping = False
        self._stream_kind = kind
        self._put("start", kind=kind, fmt=fmt)

    def stream_chunk(self, fmt: PcmFormat, pcm: bytes) -> None:
        """Queue one chunk of the streamed sound."""
        if self._dropping:
            return
        if self._stream_kind is None:
            _LOGGER.debug("audio chunk without audio-start: starting playback")
            self.stream_start(fmt, "reply")
        self._put("chunk", fmt=fmt, pcm=pcm)

    def stream_stop(self) -> None:
        """End the streamed sound; it plays to its end."""
        if self._stream_kind is not None and not self._dropping:
            self._put("end")
        self._stream_kind = None
        self._dropping = False

    # Feedback sounds -----------------------------------------------------------------
    def play(self, sound: Sound | None) -> None:
        """Queue a whole feedback sound (None: nothing)."""
        if sound is None:
            return
        self._put("start", kind=sound.name, fmt=sound.format)
        self._put("chunk", fmt=sound.format, pcm=sound.pcm)
        self._put("end")

    async def interrupt(self) -> bool:
        """Stop the reply now (barge-in); True if something was cut short.

        Returns once the speaker is silent and `on_finished` has run.
        """
        if not self.speaking:
            return False
        self._generation += 1
        self._replies = 0
        if self._stream_kind is not None:
            self._dropping = True
        while not self._queue.empty():
            self._queue.get_nowait()
        playing = self._playing
        if playing is not None:
            playing.cancel()
            await asyncio.wait({playing})
        return True

    def _put(
        self, action: str, kind: str = "", fmt: PcmFormat | None = None, pcm: bytes = b""
    ) -> None:
        if action == "start" and kind in REPLY_KINDS:
            self._replies += 1
        self._queue.put_nowait(_Item(self._generation, action, kind, fmt, pcm))

    # Playback task -------------------------------------------------------------------
    async def run(self) -> None:
        """Play queued sounds until cancelled."""
        while True:
            item = await self._queue.get()
            if item.generation != self._generation or item.action != "start":
                continue  # left over from an interrupted sound
            self._playing = playing = asyncio.create_task(self._play(item))
            try:
                await playing
            except asyncio.CancelledError:
                pass  # an interrupted sound; a shutdown is re-raised below
            except Exception:  # a failed callback must not stop every later sound
                _LOGGER.exception("finishing a sound failed")
            finally:
                self._playing = None
            # Cancelling this task cancels the sound it awaits, which ends quietly: the
            # cancellation would be lost, and the player (and the process) never stop.
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise asyncio.CancelledError

    async def _play(self, start: _Item) -> None:
        kind = start.kind
        assert start.format is not None
        self.playing_kind = kind
        interrupted = False
        try:
            await self.speaker.start(start.format, kind)
            self.on_started(kind)
            while (item := await self._queue.get()).action != "end":
                if item.generation != start.generation:
                    continue
                if item.action == "start":  # previous sound ended without "end"
                    self._queue.put_nowait(item)
                    break
                pcm = item.pcm
                if item.format is not None and item.format != self.speaker.format:
                    pcm = convert_pcm(pcm, item.format, self.speaker.format)
                await self.speaker.write(pcm)
            await self.speaker.finish()
        except asyncio.CancelledError:
            interrupted = True
            await self.speaker.abort()
        except Exception:
            _LOGGER.exception("playing %s failed", kind)
            await self.speaker.abort()
        finally:
            self.playing_kind = None
            if kind in REPLY_KINDS and not interrupted:
                self._replies = max(0, self._replies - 1)
        await self.on_finished(kind, interrupted)

"""The satellite's behaviour: listen for the wake word, stream the command, play the reply.

One `Satellite` lives as long as the process. Home Assistant connections come and go
(`attach`/`detach`); the microphone, wake word and speaker keep running in between.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event
from wyoming.info import Info
from wyoming.pipeline import PipelineStage, RunPipeline
from wyoming.snd import Played
from wyoming.timer import TimerCancelled, TimerFinished, TimerStarted, TimerUpdated
from wyoming.tts import Synthesize
from wyoming.vad import VoiceStarted, VoiceStopped
from wyoming.wake import Detect, Detection

from wyoming_shared.protocol import BadEvent

from .describe import build_info
from .events import HomeAssistantLink, audio_format, parse
from .hooks import EventHooks
from .microphone import Microphone
from .pcm import MIC_FORMAT
from .player import Player
from .sounds import Sound
from .speaker import REPLY_KINDS, Speaker
from .wake import WakeHit, WakeWordDetector

_LOGGER = logging.getLogger(__name__)
_IGNORED = (Transcribe, Detect, VoiceStarted, TimerUpdated, Detection)


@dataclass(frozen=True)
class SatelliteOptions:
    """Settings of a satellite: its name and area, barge-in, and the longest command."""

    name: str
    area: str | None = None
    barge_in: bool = True
    max_command_seconds: float = 15.0


class Satellite:
    """The satellite: wake word, command streaming to Home Assistant, and playback of replies."""

    def __init__(
        self,
        options: SatelliteOptions,
        microphone: Microphone | None,
        detector: WakeWordDetector,
        speaker: Speaker,
        sounds: dict[str, Sound],
        hooks: EventHooks,
    ) -> None:
        self.options = options
        self.microphone = microphone
        self.detector = detector
        self.sounds = sounds
        self.hooks = hooks
        self.player = Player(speaker, self._playback_started, self._playback_finished)
        self.info: Info = build_info(options.name, options.area, detector.info)
        self.link: HomeAssistantLink | None = None
        self.paused = False
        self._streaming_since: float | None = None
        self._streamed_ms = 0
        self._muted_until = 0.0
        self._reply_text = ""
        self._next_stream_kind = "announcement"
        self._bad_stream = False
        self._unknown_types: set[str] = set()
        self._started = time.monotonic()

    @property
    def streaming(self) -> bool:
        """Whether microphone audio is being streamed to Home Assistant."""
        return self._streaming_since is not None

    async def run(self) -> None:
        """Listen and play until cancelled."""
        async with asyncio.TaskGroup() as group:
            group.create_task(self.player.run())
            group.create_task(self._listen())

    async def _listen(self) -> None:
        if self.microphone is None:
            _LOGGER.warning("no microphone configured (--mic-device or --mic-file)")
            await asyncio.Event().wait()
            return
        async for chunk in self.microphone.chunks():
            await self.hear(chunk)

    async def hear(self, chunk: bytes) -> None:
        """One chunk of 16 kHz mono microphone audio."""
        now = time.monotonic()
        if self._streaming_since is not None:
            if self.player.speaking:
                return  # never stream our own voice to Home Assistant
            if now < self._muted_until:
                chunk = bytes(len(chunk))  # the awake sound, not the user
            await self._send(AudioChunk(16000, 2, 1, chunk, timestamp=self._streamed_ms).event())
            self._streamed_ms += int(1000 * MIC_FORMAT.seconds(len(chunk)))
            if now - self._streaming_since > self.options.max_command_seconds:
                _LOGGER.warning(
                    "no transcript after %.0f s of listening: stopped streaming",
                    self.options.max_command_seconds,
                )
                await self.stop_streaming()
            return
        if self.player.speaking and not self.options.barge_in:
            return  # muted while speaking
        hit = self.detector.process(chunk)
        if hit is not None:
            await self._on_wake(hit)

    async def _on_wake(self, hit: WakeHit) -> None:
        if await self.player.interrupt():
            _LOGGER.info("barge-in: wake word stopped the reply")
        if self.link is None or self.paused:
            state = "paused by Home Assistant" if self.link else "not connected to Home Assistant"
            _LOGGER.warning("wake word '%s' heard, but the satellite is %s", hit.phrase, state)
            self.player.play(self.sounds.get("error"))
            return
        _LOGGER.info("wake word '%s' detected: streaming to Home Assistant", hit.phrase)
        self.hooks.fire("wake", hit.phrase)
        awake = self.sounds.get("awake")
        self.player.play(awake)
        self._muted_until = hit.detected_at + (awake.seconds if awake else 0.0)
        timestamp = int(1000 * (hit.detected_at - self._started))
        await self._send(Detection(name=hit.name, timestamp=timestamp).event())
        await self._send(
            RunPipeline(start_stage=PipelineStage.ASR, end_stage=PipelineStage.TTS).event()
        )
        self._streaming_since = time.monotonic()
        self._streamed_ms = 0
        self.hooks.fire("listen")

    async def stop_streaming(self) -> None:
        """End the command's audio stream (audio-stop) if one is running."""
        if self._streaming_since is not None:
            self._drop_stream()
            await self._send(AudioStop().event())

    def _drop_stream(self) -> None:
        if self._streaming_since is not None:
            self._streaming_since = None
            self.detector.reset()  # audio heard before the command is stale now

    # Home Assistant connections -------------------------------------------------------
    async def attach(self, link: HomeAssistantLink) -> None:
        """Make `link` the Home Assistant connection, closing the one it replaces."""
        previous, self.link = self.link, link
        self.paused = False
        if self.microphone is not None:
            self.microphone.listener_ready.set()
        if previous is not None and previous is not link:
            _LOGGER.info(
                "Home Assistant connected again from %s (replacing %s)", link.peer, previous.peer
            )
            await previous.close()
        elif previous is None:
            _LOGGER.info("Home Assistant connected from %s", link.peer)
            self.hooks.fire("connect")

    async def pause(self, link: HomeAssistantLink) -> None:
        """Stop streaming until Home Assistant runs the satellite again."""
        if link is self.link:
            _LOGGER.info("paused by Home Assistant")
            self.paused = True
            self._drop_stream()

    def detach(self, link: HomeAssistantLink) -> None:
        """Forget `link` if it is the current connection; wait for Home Assistant to come back."""
        if link is not self.link:
            return
        self.link = None
        self._drop_stream()
        self.player.stream_stop()  # a reply cut off by the disconnect ends where it stops
        _LOGGER.warning("Home Assistant disconnected: waiting for it to connect again")
        self.hooks.fire("disconnect")

    async def _send(self, event: Event) -> None:
        link = self.link
        if link is None:
            return
        try:
            await link.send(event)
        except (ConnectionError, OSError, RuntimeError, AttributeError) as err:
            # AttributeError: asyncio's own, for a transport closed during the write
            # (Python 3.13.0); left to escape, it stopped the player for good.
            _LOGGER.debug("sending %s failed: %s", event.type, err)
            self.detach(link)

    # Events from Home Assistant -------------------------------------------------------
    async def handle(self, link: HomeAssistantLink, event: Event) -> None:
        """Handle one event from Home Assistant; events from a replaced connection are ignored."""
        if link is not self.link:
            _LOGGER.debug("ignoring %s from %s (not running the satellite)", event.type, link.peer)
            return
        handler = self._handlers().get(event.type)
        if handler is not None:
            await handler(event)
        elif any(kind.is_type(event.type) for kind in _IGNORED):
            _LOGGER.debug("%s from Home Assistant", event.type)
        elif event.type not in self._unknown_types and len(self._unknown_types) < 100:
            self._unknown_types.add(event.type)  # bounded: a sender of junk grows it no further
            _LOGGER.warning("ignoring unknown event type '%s' from Home Assistant", event.type[:80])

    def _handlers(self) -> dict[str, Callable[[Event], Awaitable[None]]]:
        return {
            "transcript": self._on_transcript,
            "voice-stopped": self._on_voice_stopped,
            "synthesize": self._on_synthesize,
            "audio-start": self._on_audio_start,
            "audio-chunk": self._on_audio_chunk,
            "audio-stop": self._on_audio_stop,
            "error": self._on_error,
            "timer-started": self._on_timer,
            "timer-cancelled": self._on_timer,
            "timer-finished": self._on_timer,
        }

    async def _on_transcript(self, event: Event) -> None:
        text = parse(Transcript, event).text
        _LOGGER.info('heard: "%s"', text)
        self.hooks.fire("transcript", text)
        await self.stop_streaming()

    async def _on_voice_stopped(self, event: Event) -> None:
        parse(VoiceStopped, event)
        await self.stop_streaming()

    async def _on_synthesize(self, event: Event) -> None:
        self._reply_text = parse(Synthesize, event).text
        self._next_stream_kind = "reply"
        _LOGGER.info('reply: "%s"', self._reply_text)

    async def _on_audio_start(self, event: Event) -> None:
        start = parse(AudioStart, event)
        await self.stop_streaming()
        kind, self._next_stream_kind = self._next_stream_kind, "announcement"
        try:
            fmt = audio_format(start)
        except BadEvent:
            self._bad_stream = True
            raise
        self._bad_stream = False
        self.player.stream_start(fmt, kind)

    async def _on_audio_chunk(self, event: Event) -> None:
        chunk = parse(AudioChunk, event)
        if not self._bad_stream:
            self.player.stream_chunk(audio_format(chunk), chunk.audio)

    async def _on_audio_stop(self, event: Event) -> None:
        self._bad_stream = False
        self.player.stream_stop()

    async def _on_error(self, event: Event) -> None:
        error = parse(Error, event)
        _LOGGER.warning("Home Assistant: %s (%s)", error.text, error.code)
        await self.stop_streaming()
        self.player.play(self.sounds.get("error"))
        self.hooks.fire("error", error.text)

    async def _on_timer(self, event: Event) -> None:
        if TimerStarted.is_type(event.type):
            timer = parse(TimerStarted, event)
            _LOGGER.info("timer %s started: %s s", timer.name or timer.id, timer.total_seconds)
        elif TimerCancelled.is_type(event.type):
            _LOGGER.info("timer %s cancelled", parse(TimerCancelled, event).id)
        else:
            _LOGGER.info("timer %s finished", parse(TimerFinished, event).id)
            self.player.play(self.sounds.get("timer"))
            self.hooks.fire("timer-finished")

    # Playback ------------------------------------------------------------------------
    def _playback_started(self, kind: str) -> None:
        if kind in REPLY_KINDS:
            _LOGGER.info("playing %s", kind)
            self.hooks.fire("speak", self._reply_text if kind == "reply" else "")

    async def _playback_finished(self, kind: str, interrupted: bool) -> None:
        if kind not in REPLY_KINDS:
            return
        _LOGGER.info("%s %s", kind, "cut short" if interrupted else "played")
        await self._send(Played().event())
        if not interrupted:
            self.player.play(self.sounds.get("done"))
            self.hooks.fire("done")

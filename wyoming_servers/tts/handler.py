"""One client connection: describe, synthesize, and streamed synthesis.

A `synthesize` request is answered with audio-start, audio-chunk..., audio-stop. A
stream (synthesize-start, synthesize-chunk..., synthesize-stop) is answered with one
audio-start, the audio of each piece as soon as it is ready (while later text still
arrives), audio-stop and synthesize-stopped. The full-text `synthesize` that clients
send inside a stream for older servers is ignored. A rejected request still gets its
closing event (audio-stop or synthesize-stopped), so no client waits forever.

Limits: a request's text (whole or streamed) has at most `max_text_chars` characters;
at most `slots.limit` requests are spoken at once (more get a `busy` error); a client
that pauses mid-event or inside an open stream for `idle_timeout` seconds is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.event import Event
from wyoming.info import Describe, SelectProgram
from wyoming.ping import Ping, Pong
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeStopped,
)

from wyoming_shared.protocol import BadEvent, GuardedEventHandler

from .describe import PROGRAM_NAME
from .look_ahead import PiecesAhead
from .request_slots import RequestSlots
from .synthesizer import CHANNELS, SAMPLE_WIDTH, Synthesizer
from .text_pieces import TextPieces, is_speakable
from .utterance import Utterance
from .voices import VoiceError, VoiceShelf

_LOGGER = logging.getLogger(__name__)


class TextTooLong(BadEvent):
    """A request's text (whole, or streamed so far) is over `max_text_chars`."""


@dataclass(frozen=True)
class TtsSettings:
    """What every connection shares."""

    shelf: VoiceShelf
    synthesizer: Synthesizer
    info: Event
    samples_per_chunk: int = 1024
    short_first_piece: bool = True
    max_piece_chars: int = 110
    max_text_chars: int = 100_000
    idle_timeout: float | None = 30.0
    slots: RequestSlots = field(default_factory=lambda: RequestSlots(32))


class TtsEventHandler(GuardedEventHandler):
    """One client connection of the TTS server: text in, audio out, one request at a time."""

    def __init__(
        self, settings: TtsSettings, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        super().__init__(reader, writer)
        self.settings = settings
        self.idle_timeout = settings.idle_timeout
        self._stream: Utterance | None = None  # between synthesize-start and -stop
        self._speaking: Utterance | None = None  # a request whose audio is being sent

    @property
    def request_open(self) -> bool:
        """A stream has started and its synthesize-stop has not come yet."""
        return self._stream is not None

    async def handle_event(self, event: Event) -> bool:
        """Handle one event of the client; False closes the connection."""
        if Describe.is_type(event.type):
            await self.write_event(self.settings.info)
        elif Ping.is_type(event.type):
            await self.write_event(Pong(text=event.data.get("text")).event())
        elif SelectProgram.is_type(event.type):
            if event.data.get("name") != PROGRAM_NAME:
                raise BadEvent(f"unknown program {event.data.get('name')!r}; use '{PROGRAM_NAME}'")
        elif Synthesize.is_type(event.type):
            if self._stream is None:
                await self._synthesize(event)
        elif SynthesizeStart.is_type(event.type):
            await self._start_stream(event)
        elif SynthesizeChunk.is_type(event.type):
            await self._stream_chunk(event)
        elif SynthesizeStop.is_type(event.type):
            await self._stop_stream()
        else:
            raise BadEvent(f"unknown event type '{event.type}' for a text-to-speech server")
        return True

    async def _synthesize(self, event: Event) -> None:
        try:
            text = self._text_within_limit(event, 0)
            if not is_speakable(text):
                raise VoiceError(f"nothing to speak in {text[:40]!r}: no letters or digits")
            utterance = self._admitted(self._utterance(event.data.get("voice")))
        except (VoiceError, BadEvent) as err:
            await self.reject(str(err), code=_code_of(err))
            await self.write_event(AudioStop().event())
            return
        try:
            utterance.take_text(text)
            await self._speak(utterance, utterance.pieces.remaining())
        finally:
            self._release(utterance)
        await self.write_event(AudioStop().event())
        _LOGGER.info("%s: spoke %s", self.peer, utterance.summary())

    async def _start_stream(self, event: Event) -> None:
        if self._stream is not None:
            self._release(self._stream)
            self._stream = None
            await self.reject("synthesize-start inside an open stream: the open stream is dropped")
        try:
            self._stream = self._admitted(self._utterance(event.data.get("voice")))
        except (VoiceError, BadEvent) as err:
            self._stream = Utterance(self.settings.shelf.default, None, TextPieces(), failed=True)
            await self.reject(str(err), code=_code_of(err))

    async def _stream_chunk(self, event: Event) -> None:
        stream = self._stream
        if stream is None:
            raise BadEvent("synthesize-chunk without synthesize-start")
        if stream.failed:
            return
        try:
            text = self._text_within_limit(event, stream.characters)
        except TextTooLong:
            stream.failed = True  # the rest of the stream is not spoken
            raise
        await self._speak(stream, stream.add_text(text))

    async def _stop_stream(self) -> None:
        utterance = self._stream
        if utterance is None:
            raise BadEvent("synthesize-stop without synthesize-start")
        if not utterance.failed:
            await self._speak(utterance, utterance.pieces.finish())
            if not utterance.pieces_spoken:
                await self.reject("nothing to speak: the streamed text had no letters or digits")
        if utterance.audio_started:
            await self.write_event(AudioStop().event())
        self._stream = None
        self._release(utterance)
        await self.write_event(SynthesizeStopped().event())
        if not utterance.failed:
            _LOGGER.info("%s: streamed %s", self.peer, utterance.summary())

    def _utterance(self, voice_data: Any) -> Utterance:
        if voice_data is None:
            voice_data = {}
        if not isinstance(voice_data, dict) or not all(
            isinstance(voice_data.get(key), str | None) for key in ("name", "language", "speaker")
        ):
            raise BadEvent("'voice' must be an object with string name, language and speaker")
        voice = self.settings.shelf.find(voice_data.get("name"), voice_data.get("language"))
        speaker_id = voice.speaker_id(voice_data.get("speaker"))
        pieces = TextPieces(self.settings.short_first_piece, self.settings.max_piece_chars)
        return Utterance(voice, speaker_id, pieces)

    def _text_within_limit(self, event: Event, before: int) -> str:
        """The event's text, if the request stays within the text limit with it."""
        text = _text_of(event)
        limit = self.settings.max_text_chars
        if before + len(text) > limit:
            raise TextTooLong(
                f"the text is longer than {limit} characters ({before + len(text)} so far): "
                "split it into several requests; nothing more of it is spoken"
            )
        return text

    def _admitted(self, utterance: Utterance) -> Utterance:
        """`utterance` once it has one of the server's request slots (or ServerBusy)."""
        self.settings.slots.take()
        utterance.holds_slot = True
        return utterance

    def _release(self, utterance: Utterance) -> None:
        if utterance.holds_slot:
            utterance.holds_slot = False
            self.settings.slots.give_back()

    async def _speak(self, utterance: Utterance, pieces: Iterable[str]) -> None:
        """Synthesize each piece and send its audio as soon as it is ready."""
        self._speaking = utterance
        rate = utterance.voice.sample_rate
        chunk_bytes = self.settings.samples_per_chunk * SAMPLE_WIDTH * CHANNELS
        ahead = PiecesAhead(self.settings.synthesizer, utterance, pieces)
        try:
            while (spoken := await ahead.next()) is not None:
                piece, audio = spoken
                _LOGGER.debug("%s: speaking %r", self.peer, piece)
                if not utterance.audio_started:
                    utterance.audio_started = True
                    await self.write_event(AudioStart(rate, SAMPLE_WIDTH, CHANNELS).event())
                for offset in range(0, len(audio), chunk_bytes):
                    chunk = audio[offset : offset + chunk_bytes]
                    await self.write_event(AudioChunk(rate, SAMPLE_WIDTH, CHANNELS, chunk).event())
                    if utterance.first_audio is None:
                        utterance.first_audio = time.monotonic()
                utterance.audio_bytes += len(audio)
                utterance.pieces_spoken += 1
                utterance.characters_spoken += len(piece)
        finally:
            ahead.close()
        self._speaking = None

    async def disconnect(self) -> None:
        """Log what a client that left mid-request did not hear."""
        for open_request in (self._speaking, self._stream):
            if open_request is not None:
                self._release(open_request)
        utterance = self._speaking or self._stream
        if utterance is not None and (utterance.pieces_spoken or not utterance.failed):
            _LOGGER.info(
                "%s: connection closed in the middle of a request after %s; "
                "about %d characters unspoken",
                self.peer,
                utterance.summary(),
                utterance.characters_unspoken,
            )
        self._stream = self._speaking = None


def _code_of(err: Exception) -> str:
    return err.code if isinstance(err, BadEvent) else "bad-request"


def _text_of(event: Event) -> str:
    text = event.data.get("text")
    if not isinstance(text, str):
        raise BadEvent(f"'{event.type}' needs 'text' as a string")
    return text

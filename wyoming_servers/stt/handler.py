"""One client connection: Describe -> Info, Transcribe + audio -> Transcript.

Transcript streaming follows the Wyoming protocol: transcript-start, transcript-chunk
for each decoded piece, the plain `transcript` every client understands, then
transcript-stop. A request that fails (impossible audio, too long, server busy) gets
one `error` event; the connection then closes at its AudioStop, so clients that only
wait for a transcript see the connection end instead of waiting for ever.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

from wyoming.asr import Transcribe, Transcript, TranscriptChunk, TranscriptStart, TranscriptStop
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.event import Event
from wyoming.info import Describe, Info
from wyoming.ping import Ping, Pong

from wyoming_shared.audio import AudioFormatError, PcmConverter, PcmFormat
from wyoming_shared.protocol import BadEvent, GuardedEventHandler

from .decode_queue import DecodeQueue, ServerBusy
from .info import PROGRAM_NAME
from .utterance import AudioTooLong, UtteranceDecoder
from .vad import RATE

_LOGGER = logging.getLogger(__name__)
_SELECT_PROGRAM = "select-program"


@dataclass
class SttService:
    """What every connection shares: the model queue and the server's settings."""

    queue: DecodeQueue
    info: Info
    language: str | None  # None: detect (multilingual models)
    max_seconds: float
    timeout: float
    idle_timeout: float | None = None  # a client pausing this long mid-request is dropped
    connections: int = 0


class SttEventHandler(GuardedEventHandler):
    """One client connection of the STT server: audio in, one transcript out per utterance."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, service: SttService
    ) -> None:
        super().__init__(reader, writer)
        self.service = service
        self.idle_timeout = service.idle_timeout
        service.connections += 1
        self._language = service.language
        self._decoder: UtteranceDecoder | None = None
        self._converter: PcmConverter | None = None
        self._failed = False
        self._streaming = False

    @property
    def request_open(self) -> bool:
        """Audio has started (or failed) and its audio-stop has not come yet."""
        return self._decoder is not None or self._failed

    async def handle_event(self, event: Event) -> bool:
        """Handle one event of the client; False closes the connection."""
        if Transcribe.is_type(event.type):
            self._reset()
            self._language = self._requested_language(event.data.get("language"))
            return True
        if AudioChunk.is_type(event.type):
            if not self._failed:
                await self._guard(self._on_chunk(event.data, event.payload or b""))
            return True
        if AudioStart.is_type(event.type):
            self._reset()
            await self._guard(self._on_start(event.data))
            return True
        if AudioStop.is_type(event.type):
            return await self._on_stop()
        await self._answer(event)
        return True

    async def _answer(self, event: Event) -> None:
        """Events outside a transcription request."""
        if Describe.is_type(event.type):
            await self.write_event(self.service.info.event())
        elif Ping.is_type(event.type):
            await self.write_event(Pong(text=event.data.get("text")).event())
        elif event.type == _SELECT_PROGRAM:
            name = event.data.get("name")
            if name not in (None, PROGRAM_NAME):
                raise BadEvent(f"unknown program {name!r} (this server is {PROGRAM_NAME})")
        else:
            raise BadEvent(f"unsupported event '{event.type}' for a speech-to-text server")

    async def _guard(self, step: Any) -> bool:
        """Run one request step; a failure answers with an error and fails the request."""
        try:
            return bool(await step)
        except (AudioFormatError, AudioTooLong) as err:
            await self._fail(str(err), "bad-request")
        except ServerBusy as err:
            await self._fail(str(err), "busy")
            return False
        except (ConnectionError, asyncio.CancelledError):
            raise
        except Exception as err:
            _LOGGER.debug("decode failed", exc_info=True)
            await self._fail(f"transcription failed: {err}", "internal")
            return False
        return True

    async def _fail(self, text: str, code: str) -> None:
        self._reset()
        self._failed = True
        await self.reject(text, code=code)

    def _requested_language(self, language: Any) -> str | None:
        if language is None or language == "":
            return self.service.language
        if not isinstance(language, str):
            raise BadEvent(f"language must be a string, not {language!r}")
        code = language.replace("_", "-").split("-")[0].lower()
        languages = self.service.info.asr[0].models[0].languages
        if code not in languages:
            raise BadEvent(f"language {language!r} is not supported ({', '.join(languages[:10])})")
        return code

    def _new_decoder(self) -> UtteranceDecoder:
        service = self.service
        return UtteranceDecoder(service.queue, self._language, service.max_seconds, service.timeout)

    async def _on_start(self, data: dict[str, Any]) -> bool:
        self._converter = PcmConverter(_pcm_format(data), RATE)
        self._decoder = self._new_decoder()
        return True

    async def _on_chunk(self, data: dict[str, Any], audio: bytes) -> bool:
        source = _pcm_format(data)
        if self._decoder is None:  # audio without audio-start: start implicitly
            self._decoder = self._new_decoder()
        if self._converter is None or self._converter.source != source:
            if self._converter is not None:
                self._decoder.add(self._converter.flush())
            self._converter = PcmConverter(source, RATE)
        self._decoder.add(self._converter.convert(audio))
        await self._send_chunk(self._decoder.take_new_text())
        return True

    async def _on_stop(self) -> bool:
        if self._failed:  # the client has its error; end the connection
            self._reset()
            return False
        return await self._guard(self._transcribe())

    async def _transcribe(self) -> bool:
        decoder, converter = self._decoder, self._converter
        if decoder is None:
            await self._send_result(Transcript(text=""))
            return True
        if converter is not None:
            decoder.add(converter.flush())
        stopped = time.monotonic()
        result = await decoder.finish()
        await self._send_chunk(decoder.take_new_text())
        _LOGGER.info(
            "%s: %.2f s of audio, transcript %.3f s after audio-stop: %r",
            self.peer,
            decoder.seconds,
            time.monotonic() - stopped,
            result.text,
        )
        await self._send_result(Transcript(text=result.text, language=result.language))
        self._reset()
        return True

    async def _send_chunk(self, text: str) -> None:
        if not text:
            return
        if not self._streaming:
            self._streaming = True
            await self.write_event(TranscriptStart(language=self._language).event())
            await self.write_event(TranscriptChunk(text=text).event())
        else:
            await self.write_event(TranscriptChunk(text=" " + text).event())

    async def _send_result(self, transcript: Transcript) -> None:
        if not self._streaming:
            await self.write_event(TranscriptStart(language=transcript.language).event())
        await self.write_event(transcript.event())
        await self.write_event(TranscriptStop().event())

    def _reset(self) -> None:
        if self._decoder is not None:
            self._decoder.cancel()
        self._decoder = None
        self._converter = None
        self._failed = False
        self._streaming = False

    async def disconnect(self) -> None:
        """Drop the utterance in progress and count the connection as closed."""
        self._reset()
        self.service.connections -= 1
        _LOGGER.debug(
            "%s disconnected; %d connections open, %d tasks",
            self.peer,
            self.service.connections,
            len(asyncio.all_tasks()),
        )


def _pcm_format(data: dict[str, Any]) -> PcmFormat:
    values: dict[str, int] = {}
    for name in ("rate", "width", "channels"):
        if name not in data:
            raise AudioFormatError(f"audio event without {name}")
        try:
            values[name] = int(data[name])
        except (TypeError, ValueError):
            raise AudioFormatError(f"audio {name} {data[name]!r} is not numeric") from None
    return PcmFormat(**values)

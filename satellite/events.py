"""Events from Home Assistant: typed parsing that turns malformed input into `BadEvent`."""

from __future__ import annotations

from typing import Protocol

from wyoming.audio import AudioChunk, AudioStart
from wyoming.event import Event, Eventable

from wyoming_shared.audio import AudioFormatError, PcmFormat
from wyoming_shared.protocol import BadEvent


class HomeAssistantLink(Protocol):
    """What the satellite needs of its connection to Home Assistant."""

    peer: str

    async def send(self, event: Event) -> None:
        """Send one event to Home Assistant."""

    async def close(self) -> None:
        """Close the connection."""


def parse[E: Eventable](kind: type[E], event: Event) -> E:
    """Typed event, or BadEvent (answered with an error, connection kept) if malformed."""
    try:
        parsed: E = kind.from_event(event)  # type: ignore[assignment]
        return parsed
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise BadEvent(f"malformed '{event.type}' event: {err!r}") from None


def audio_format(data: AudioStart | AudioChunk) -> PcmFormat:
    """The audio format of an audio event; BadEvent if it is not a valid PCM format."""
    try:
        return PcmFormat(int(data.rate), int(data.width), int(data.channels))
    except (AudioFormatError, TypeError, ValueError) as err:
        raise BadEvent(f"audio in an unexpected format: {err}") from None

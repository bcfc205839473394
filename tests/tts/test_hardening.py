"""What an outside probe broke in the TTS server, each reproduced.

Long unbroken words, unreadable events, no admission limit, connections that stop
in the middle of an event.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from wyoming.event import Event

from tests.fuzz.checks import (
    UNREADABLE_EVENTS,
    check_idle_close,
    check_unreadable_event,
    wait_for_log,
)
from tests.fuzz.raw_client import RawClient, types
from tests.fuzz.wyoming_framing import event_bytes
from tests.servers import RunningServer, allow_sockets, running_server
from wyoming_servers.tts.text_pieces import TextPieces

from .conftest import VOICE
from .speech_client import RATE, WIDTH

pytestmark = pytest.mark.usefixtures("socket_enabled")

MILLION_X = "x" * 1_000_000
SENTENCE = "Turn on the kitchen light."


@pytest.fixture(scope="module")
def roomy_tts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """No practical text limit (what splitting costs is tested), a short idle timeout."""
    allow_sockets()
    with running_server(
        "hybrid-voice-tts",
        "--voice",
        VOICE,
        "--max-text-chars",
        "2000000",
        "--idle-timeout",
        "1",
        log_dir=tmp_path_factory.mktemp("tts-roomy"),
    ) as server:
        yield server


@pytest.fixture(scope="module")
def single_tts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One request at a time, short texts."""
    allow_sockets()
    with running_server(
        "hybrid-voice-tts",
        "--voice",
        VOICE,
        "--max-requests",
        "1",
        "--max-text-chars",
        "5000",
        log_dir=tmp_path_factory.mktemp("tts-single"),
    ) as server:
        yield server


def audio_seconds(events: list[Event]) -> float:
    """Seconds of 22050 Hz speech in the audio chunks among `events`."""
    payload = sum(len(e.payload or b"") for e in events if e.type == "audio-chunk")
    return payload / (RATE * WIDTH)


async def test_text_over_the_limit_is_refused_without_stalling_anyone(
    tts_server: RunningServer,
) -> None:
    async with RawClient(tts_server.port) as flooder, RawClient(tts_server.port) as other:
        await flooder.send_event("synthesize", {"text": MILLION_X})
        await other.send_event("describe")
        info = await other.next_event()
        refused = await flooder.read_until("audio-stop")
    assert info is not None
    assert info.type == "info"
    assert types(refused) == ["error", "audio-stop"]
    assert refused[0].data["code"] == "bad-request"
    assert "100000 characters" in refused[0].data["text"]


async def test_a_stream_over_the_limit_is_cut_and_closed(single_tts: RunningServer) -> None:
    async with RawClient(single_tts.port) as client:
        await client.send_event("synthesize-start")
        await client.send_event("synthesize-chunk", {"text": "Sure. " + " " * 3000})
        await client.send_event("synthesize-chunk", {"text": "y" * 3000})
        await client.send_event("synthesize-chunk", {"text": "The end."})
        await client.send_event("synthesize-stop")
        events = await client.read_until("synthesize-stopped")
    errors = [event.data for event in events if event.type == "error"]
    assert len(errors) == 1
    assert errors[0]["code"] == "bad-request"
    assert "5000 characters" in errors[0]["text"]
    assert types(events)[-1] == "synthesize-stopped"


async def test_a_long_unbroken_word_is_spoken_in_turns_and_stops_when_the_client_leaves(
    roomy_tts: RunningServer,
) -> None:
    async with RawClient(roomy_tts.port) as long_one:
        await long_one.send_event("synthesize", {"text": MILLION_X})
        started = await long_one.read_until("audio-chunk")  # the first piece is spoken soon
        async with RawClient(roomy_tts.port) as other:
            await other.send_event("describe")
            info = await other.next_event()
            await other.send_event("synthesize", {"text": SENTENCE})
            spoken = await other.read_until("audio-stop")
    assert types(started) == ["audio-start"]
    assert info is not None
    assert info.type == "info"
    assert types(spoken) == ["audio-start", "audio-stop"]
    assert audio_seconds(spoken) > 1.0
    # The long request is dropped once its client has gone, not spoken to the end.
    assert await wait_for_log(
        roomy_tts, lambda log: "connection closed in the middle of a request" in log, 60.0
    )
    async with RawClient(roomy_tts.port) as after:
        await after.send_event("synthesize", {"text": SENTENCE})
        assert audio_seconds(await after.read_until("audio-stop")) > 1.0


@pytest.mark.parametrize(("raw", "survives"), UNREADABLE_EVENTS.values(), ids=UNREADABLE_EVENTS)
async def test_unreadable_events_get_a_bad_request_error(
    tts_server: RunningServer, raw: bytes, survives: bool
) -> None:
    await check_unreadable_event(tts_server, raw, survives)


async def test_requests_over_the_limit_are_told_the_server_is_busy(
    single_tts: RunningServer,
) -> None:
    async with RawClient(single_tts.port) as first, RawClient(single_tts.port) as second:
        await first.send_event("synthesize-start")
        await first.send_event("ping", {"text": "admitted?"})
        await first.read_until("pong")  # the stream has been taken in
        await second.send_event("synthesize", {"text": SENTENCE})
        refused = await second.read_until("audio-stop")
        await first.send_event("synthesize-chunk", {"text": SENTENCE})
        await first.send_event("synthesize-stop")
        finished = await first.read_until("synthesize-stopped")
        await second.send_event("synthesize", {"text": SENTENCE})
        retried = await second.read_until("audio-stop")
    assert types(refused) == ["error", "audio-stop"]
    assert refused[0].data["code"] == "busy"
    assert audio_seconds(finished) > 1.0
    assert audio_seconds(retried) > 1.0


@pytest.mark.parametrize(
    "sent",
    [
        b'{"type": "synthe',
        b'{"type": "synthesize", "data_length": 40}\n{"text": "Hel',
        event_bytes("synthesize-start") + event_bytes("synthesize-chunk", {"text": "Hello"}),
    ],
    ids=["mid-header", "mid-data", "mid-stream"],
)
async def test_a_client_that_stops_mid_event_is_disconnected(
    roomy_tts: RunningServer, sent: bytes
) -> None:
    await check_idle_close(roomy_tts, sent)


def test_a_long_text_is_cut_one_piece_at_a_time() -> None:
    """Cutting looks at a bounded window: the first piece is ready while the rest waits."""
    pieces = TextPieces(max_chars=110)
    pieces.feed(MILLION_X)
    remaining = pieces.remaining()
    first = next(remaining)
    assert len(first) <= 111  # the first phrase may get a comma
    assert len(pieces.pending) > 999_000  # not cut yet
    rest = list(remaining)
    assert all(len(piece) <= 110 for piece in rest)
    assert sum(len(piece) for piece in rest) + len(first.rstrip(",")) == len(MILLION_X)

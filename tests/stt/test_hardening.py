"""What an outside probe broke in the STT server, each reproduced.

Unreadable events (the event reader is shared with the TTS server and the satellite)
and connections that stop in the middle of an event or of a request.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fuzz.checks import UNREADABLE_EVENTS, check_idle_close, check_unreadable_event
from tests.fuzz.wyoming_framing import JsonLike, event_bytes
from tests.servers import RunningServer, allow_sockets, running_server
from tests.stt.conftest import MODEL

pytestmark = pytest.mark.usefixtures("socket_enabled")

FORMAT: dict[str, JsonLike] = {"rate": 16000, "width": 2, "channels": 1}


@pytest.fixture(scope="module")
def impatient_stt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """Drops a client that pauses for a second in the middle of something."""
    allow_sockets()
    with running_server(
        "hybrid-voice-stt",
        "--model",
        MODEL,
        "--idle-timeout",
        "1",
        log_dir=tmp_path_factory.mktemp("stt-impatient"),
    ) as server:
        yield server


@pytest.mark.parametrize(("raw", "survives"), UNREADABLE_EVENTS.values(), ids=UNREADABLE_EVENTS)
async def test_unreadable_events_get_a_bad_request_error(
    impatient_stt: RunningServer, raw: bytes, survives: bool
) -> None:
    await check_unreadable_event(impatient_stt, raw, survives)


@pytest.mark.parametrize(
    "sent",
    [
        b'{"type": "audio-chu',
        b'{"type": "audio-chunk", "data_length": 46, "payload_length": 640}\n'
        b'{"rate": 16000, "width": 2, "channels": 1}    ' + bytes(100),
        event_bytes("transcribe") + event_bytes("audio-start", FORMAT),
    ],
    ids=["mid-header", "mid-payload", "mid-request"],
)
async def test_a_client_that_stops_mid_event_is_disconnected(
    impatient_stt: RunningServer, sent: bytes
) -> None:
    await check_idle_close(impatient_stt, sent)

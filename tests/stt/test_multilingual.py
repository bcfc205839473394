"""A multilingual model detects the spoken language unless the request names one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from wyoming.info import Describe

from tests.servers import RunningServer, allow_sockets, running_server
from tests.stt.client import request, transcribe
from tests.stt.speech import speak, words

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture(scope="module")
def base_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    allow_sockets()
    with running_server(
        "hybrid-voice-stt",
        "--model",
        "whisper-base",
        "--language",
        "auto",
        "--threads",
        "2",
        log_dir=tmp_path_factory.mktemp("stt-base"),
    ) as server:
        yield server


async def test_info_lists_the_model_languages(base_server: RunningServer) -> None:
    info = await request(base_server.port, Describe().event())
    assert info is not None
    [model] = info.data["asr"][0]["models"]
    assert model["name"] == "whisper-base"
    assert {"en", "de", "fr", "es"} <= set(model["languages"])


async def test_language_is_detected(base_server: RunningServer, clips: Path) -> None:
    sentence = "Mach das Licht im Wohnzimmer aus"
    reply = await transcribe(base_server.port, speak(sentence, clips, voice="de"))
    assert reply.first("transcript")["language"] == "de"
    # espeak-ng's German is hard on whisper-base: the nouns come through, "mach"
    # sometimes as "macht".
    assert {"licht", "wohnzimmer", "aus"} <= set(words(reply.transcript))


async def test_requested_language_is_used(base_server: RunningServer, clips: Path) -> None:
    sentence = "turn on the kitchen light"
    reply = await transcribe(base_server.port, speak(sentence, clips), language="en-US")
    assert words(reply.transcript) == words(sentence)
    assert reply.first("transcript")["language"] == "en"

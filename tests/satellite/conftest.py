"""Shared set-up for the satellite tests: our STT/TTS servers and synthesized speech.

The servers are started once per module (loading models is the slow part); every test
starts its own satellite process.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from homeassistant.core import HomeAssistant

from tests.servers import ROOT, RunningServer, allow_sockets, running_server, servers_bin

from .home import set_up_home

SPEECH_SCRIPT = Path(__file__).with_name("speech.py")
MakeSpeech = Callable[..., Path]


@pytest.fixture(scope="module")
def stt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    # Module-scoped fixtures run before the function-scoped `socket_enabled`.
    allow_sockets()
    log_dir = tmp_path_factory.mktemp("stt")
    # whisper-base: tiny.en hears the piper voice's "Turn on ..." as "Pern on ..." for
    # about a third of the possible alignments of the audio, which would make these
    # end-to-end tests depend on chance rather than on the satellite.
    with running_server(
        "hybrid-voice-stt",
        "--model",
        "whisper-base",
        "--language",
        "en",
        "--threads",
        "2",
        log_dir=log_dir,
    ) as server:
        yield server


@pytest.fixture(scope="module")
def tts_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    allow_sockets()
    log_dir = tmp_path_factory.mktemp("tts")
    with running_server(
        "hybrid-voice-tts", "--voice", "piper-en_US-joe-medium", log_dir=log_dir
    ) as server:
        yield server


@pytest.fixture(scope="module")
def quiet_satellite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A satellite without microphone, speaker or feedback sounds, for protocol tests."""
    allow_sockets()
    log_dir = tmp_path_factory.mktemp("satellite")
    with running_server("hybrid-voice-satellite", "--no-sounds", log_dir=log_dir) as satellite:
        yield satellite


@pytest.fixture(scope="session")
def make_speech(tmp_path_factory: pytest.TempPathFactory) -> MakeSpeech:
    """`make_speech("name", "silence:0.7", "say:Okay nabu.", ...)` -> 16 kHz mono WAV."""
    clips = tmp_path_factory.mktemp("speech")

    def make(name: str, *parts: str) -> Path:
        path = clips / f"{name}.wav"
        if not path.exists():
            subprocess.run(
                [str(servers_bin() / "python"), str(SPEECH_SCRIPT), str(path), *parts],
                check=True,
                cwd=ROOT,
                capture_output=True,
                timeout=120,
            )
        return path

    return make


@pytest.fixture(scope="session")
def wake_command(make_speech: MakeSpeech) -> Path:
    """The usual microphone clip: "Okay nabu." then "Turn on the kitchen light."."""
    return make_speech(
        "wake_command",
        "silence:0.7",
        "say:Okay nabu.",
        "silence:0.6",
        "say:Turn on the kitchen light.",
    )


@pytest.fixture
async def voice_pipeline(
    hass: HomeAssistant,
    socket_enabled: None,
    stt_server: RunningServer,
    tts_server: RunningServer,
) -> None:
    """Home Assistant with the kitchen light and a pipeline through our STT and TTS."""
    await set_up_home(hass, stt_server.port, tts_server.port)

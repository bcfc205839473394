"""End-to-end tests: every part of the product, real, in one Home Assistant.

Real servers started through their console scripts, the agent on the real model, Home
Assistant's pipeline, and our satellite playing a recorded command.

The servers come from the satellite tests (speech) and the agent tests (model), so each
starts once per run whichever folder asks first.
"""

from __future__ import annotations

import pytest

from tests.agent.conftest import llm_url
from tests.satellite.conftest import make_speech, stt_server, tts_server
from tests.servers import RunningServer

from .voice_home import VoiceServers

__all__ = ["llm_url", "make_speech", "stt_server", "tts_server"]


@pytest.fixture
def voice_servers(
    stt_server: RunningServer, tts_server: RunningServer, llm_url: str
) -> VoiceServers:
    """Speech-to-text, text-to-speech and the model, each its own process."""
    return VoiceServers(stt_server.port, tts_server.port, llm_url)

"""One text-to-speech server for a whole test module: loading the voice is the slow part."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import RunningServer, allow_sockets, running_server

VOICE = "piper-en_US-joe-medium"


@pytest.fixture(scope="module")
def tts_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    # Module-scoped fixtures are set up before the function-scoped `socket_enabled`
    # that every test here requests, so open the sockets for the start-up probe here.
    allow_sockets()
    log_dir = tmp_path_factory.mktemp("tts")
    with running_server("hybrid-voice-tts", "--voice", VOICE, log_dir=log_dir) as server:
        yield server

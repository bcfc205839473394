"""One speech-to-text server per test module: loading the model is the slow part."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import RunningServer, allow_sockets, running_server

MODEL = "whisper-tiny.en"


@pytest.fixture(scope="module")
def stt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    # Module-scoped fixtures are set up before the function-scoped `socket_enabled`
    # that every test here requests, so open the sockets for the start-up probe here.
    allow_sockets()
    log_dir = tmp_path_factory.mktemp("stt")
    with running_server(
        "hybrid-voice-stt", "--model", MODEL, "--threads", "2", "--debug", log_dir=log_dir
    ) as server:
        yield server


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("clips")

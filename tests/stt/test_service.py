"""Starting and stopping the speech-to-text server as an operator does."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

from tests.servers import console_script, running_server
from tests.stt.client import transcribe
from tests.stt.conftest import MODEL
from tests.stt.speech import speak, words


@pytest.mark.usefixtures("socket_enabled")
async def test_sigterm_stops_cleanly(tmp_path: Path) -> None:
    with running_server(
        "hybrid-voice-stt", "--model", MODEL, "--log-format", "json", log_dir=tmp_path
    ) as server:
        reply = await transcribe(server.port, speak("open the garage door", tmp_path))
        assert words(reply.transcript) == words("open the garage door")
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0
    log = server.log()
    assert '"message": "stopping"' in log
    assert "Traceback" not in log


def test_unknown_model_is_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [console_script("hybrid-voice-stt"), "--model", "whisper-huge"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert "whisper-huge" in line
    assert "whisper-tiny.en" in line

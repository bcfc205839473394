"""Starting, refusing bad settings, announcing and stopping `hybrid-voice-llm`."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.servers import console_script, servers_bin

from .conftest import SCRIPT, SMALL_MODEL, start_server, wait_until_ready


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [console_script(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{SCRIPT}: error: ")
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_unknown_model_name_is_one_line(tmp_path: Path) -> None:
    result = run_cli("--uri", "tcp://127.0.0.1:0", "--model", "qwen-does-not-exist")
    assert_one_line_error(result, "qwen-does-not-exist", SMALL_MODEL)


def test_model_not_fetched_says_how_to_fetch(tmp_path: Path) -> None:
    result = run_cli(
        "--uri", "tcp://127.0.0.1:0", "--model", SMALL_MODEL, "--cache-dir", str(tmp_path)
    )
    assert_one_line_error(result, f"hybrid-voice-models fetch {SMALL_MODEL}")


def test_file_that_is_not_gguf_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_text("not a model")
    assert_one_line_error(run_cli("--model", str(fake)), "not a GGUF model")


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (("--ctx", "64"), "--ctx"),
        (("--threads", "0"), "--threads"),
        (("--batch", "0"), "--batch"),
        (("--read-timeout", "0"), "--read-timeout"),
        (("--read-timeout", "nan"), "--read-timeout"),
        (("--chat-format", "no-such-format"), "--chat-format"),
        (("--uri", "unix://llm.sock"), "--uri"),
        (("--uri", "tcp://127.0.0.1"), "port"),
    ],
)
def test_invalid_settings_are_one_line(args: tuple[str, ...], word: str) -> None:
    base = ("--uri", "tcp://127.0.0.1:0", "--model", SMALL_MODEL)
    assert_one_line_error(run_cli(*base, *args), word)


@pytest.mark.usefixtures("socket_enabled")
def test_port_in_use_is_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("--uri", f"tcp://127.0.0.1:{port}", "--model", SMALL_MODEL)
    assert_one_line_error(result, "already in use", str(port))


@pytest.mark.usefixtures("socket_enabled")
def test_sigterm_stops_cleanly_with_structured_logs(tmp_path: Path) -> None:
    server = wait_until_ready(start_server(tmp_path, "--model", SMALL_MODEL))
    try:
        assert httpx.get(f"{server.base_url}/health").json()["status"] == "ok"
        reply = httpx.post(
            f"{server.base_url}/v1/chat/completions",
            json={"messages": [{"role": "user", "content": "Say hi."}], "max_tokens": 4},
            timeout=300,
        )
        assert reply.status_code == 200
    finally:
        code = server.stop()
    assert code == 0, server.log()
    log = server.log()
    assert "Traceback" not in log
    records = [json.loads(line) for line in log.splitlines()]  # every line is JSON
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert records[-1]["message"] == "stopped"


def test_zeroconf_announces_the_endpoint(tmp_path: Path) -> None:
    server = wait_until_ready(
        start_server(tmp_path, "--model", SMALL_MODEL, "--zeroconf", "test-llm")
    )
    browse = (
        "import json, sys\n"
        "from zeroconf import Zeroconf\n"
        "from wyoming_servers.llm.discovery import SERVICE_TYPE\n"
        "zc = Zeroconf()\n"
        "info = zc.get_service_info(SERVICE_TYPE, 'test-llm.' + SERVICE_TYPE, timeout=10000)\n"
        "zc.close()\n"
        "print(json.dumps(info and {'port': info.port, "
        "'props': {k.decode(): (v or b'').decode() for k, v in info.properties.items()}}))\n"
    )
    try:
        found = subprocess.run(
            [str(servers_bin() / "python"), "-c", browse],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    finally:
        assert server.stop() == 0
    announced = json.loads(found.stdout)
    assert announced["port"] == server.port
    assert announced["props"]["model"] == SMALL_MODEL
    assert announced["props"]["path"] == "/v1"

"""The programs of the local stack and how each is started."""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
from collections.abc import Callable
from pathlib import Path

from .processes import Service
from .settings import (
    LLM_MODEL,
    SATELLITE_AREA,
    SATELLITE_NAME,
    STT_MODEL,
    TTS_VOICE,
    StackSettings,
)

RUN_D = Path(__file__).resolve().parents[1] / "run.d"
DEMO_HOME = RUN_D / "demo_home"


def _http_ok(url: str, check: Callable[[bytes], bool] = lambda _body: True) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                return reply.status == 200 and check(reply.read())
        except (OSError, ValueError):
            return False

    return ready


def _health_ok(body: bytes) -> bool:
    try:
        return bool(json.loads(body).get("status") == "ok")
    except ValueError:
        return False


def speech_services(settings: StackSettings) -> list[Service]:
    """Wyoming speech-to-text and text-to-speech, and the local model server."""
    bin_dir, ports, logs = settings.servers_bin, settings.ports, settings.logs

    def uri(port: int) -> list[str]:
        return ["--uri", f"tcp://127.0.0.1:{port}"]

    return [
        Service(
            "stt",
            [str(bin_dir / "hybrid-voice-stt"), *uri(ports.stt), "--model", STT_MODEL],
            ports.stt,
            logs / "stt.log",
            what=f"Wyoming speech-to-text ({STT_MODEL})",
        ),
        Service(
            "tts",
            [str(bin_dir / "hybrid-voice-tts"), *uri(ports.tts), "--voice", TTS_VOICE],
            ports.tts,
            logs / "tts.log",
            what=f"Wyoming text-to-speech ({TTS_VOICE})",
        ),
        Service(
            "llm",
            [str(bin_dir / "hybrid-voice-llm"), *uri(ports.llm), "--model", LLM_MODEL],
            ports.llm,
            logs / "llm.log",
            ready=_http_ok(f"http://127.0.0.1:{ports.llm}/health", _health_ok),
            startup_timeout=600.0,
            what=f"local model, OpenAI-compatible ({LLM_MODEL})",
        ),
    ]


def satellite_service(settings: StackSettings) -> Service:
    """Our satellite with a named pipe for a microphone and WAV files for a speaker."""
    settings.sounds.mkdir(parents=True, exist_ok=True)
    if not settings.mic_fifo.exists():
        os.mkfifo(settings.mic_fifo)
    argv = [
        str(settings.servers_bin / "hybrid-voice-satellite"),
        "--uri",
        f"tcp://127.0.0.1:{settings.ports.satellite}",
        "--name",
        SATELLITE_NAME,
        "--area",
        SATELLITE_AREA,
        "--mic-file",
        str(settings.mic_fifo),
        "--snd-file",
        f"{settings.sounds}/",
        "--debug",
    ]
    return Service(
        "satellite",
        argv,
        settings.ports.satellite,
        settings.logs / "satellite.log",
        what="virtual satellite (Wyoming, wake word 'Okay Nabu')",
    )


def realtime_standin_service(settings: StackSettings) -> Service:
    """The local server that plays the OpenAI Realtime API (`--realtime-standin`)."""
    port = settings.ports.realtime
    return Service(
        "realtime",
        [
            str(settings.ha_python),
            "-m",
            "bench.realtime_standin",
            "--port",
            str(port),
            "--latency-ms",
            f"{settings.standin_latency_ms:g}",
        ],
        port,
        settings.logs / "realtime.log",
        env={"PYTHONPATH": str(settings.root)},
        what="Realtime API stand-in (plays the cloud)",
    )


def write_ha_config(settings: StackSettings) -> Path:
    """The demo instance's configuration: ours, refreshed on every start."""
    config = settings.ha_config
    components = config / "custom_components"
    components.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(RUN_D / "configuration.yaml", config / "configuration.yaml")
    links = {
        "hybrid_voice": settings.root / "custom_components" / "hybrid_voice",
        "virtual_home": RUN_D / "virtual_home",
    }
    for name, target in links.items():
        _link(components / name, target)
    # The demo home's devices are the evaluation's (bench/); only that package goes on
    # Home Assistant's path, so `custom_components` still means the config's own.
    _link(settings.run_dir / "ha-pythonpath" / "bench", settings.root / "bench")
    return config


def _link(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target)


def home_assistant_service(settings: StackSettings) -> Service:
    """Home Assistant on the demo configuration (no installs at run time)."""
    config = write_ha_config(settings)
    hass = settings.ha_python.parent / "hass"
    port = settings.ports.home_assistant
    return Service(
        "home-assistant",
        [str(hass), "--config", str(config), "--skip-pip"],
        port,
        settings.logs / "home-assistant.log",
        env={
            "HYBRID_VOICE_HA_PORT": str(port),
            "HYBRID_VOICE_DEMO_HOME": str(DEMO_HOME),
            "PYTHONPATH": str(settings.run_dir / "ha-pythonpath"),
        },
        ready=_http_ok(f"http://127.0.0.1:{port}/manifest.json"),
        startup_timeout=600.0,
        what="Home Assistant with the demo home",
    )

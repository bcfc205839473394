"""Where everything of the local stack lives: ports, directories, models, credentials."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The demo instance's owner, documented in the README; local only.
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "hybrid-voice-demo"  # documented in the README
DEMO_NAME = "Demo"
CLIENT_ID = "http://localhost:8123/"  # HA accepts its own address as an OAuth client

STT_MODEL = "whisper-tiny.en"
TTS_VOICE = "piper-en_US-joe-medium"
LLM_MODEL = "qwen2.5-coder-1.5b-q4"
AGENT_NAME = "Hybrid Voice"
PIPELINE_NAME = "Hybrid Voice"
SATELLITE_NAME = "Demo Satellite"
SATELLITE_AREA = "Living Room"


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, "")
    if not value:
        return default
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError(f"{name}={value!r} is not a port number")
    return int(value)


@dataclass(frozen=True)
class Ports:
    """TCP ports on 127.0.0.1 (environment variables override each)."""

    stt: int = 10300
    tts: int = 10200
    llm: int = 8080
    satellite: int = 10700
    home_assistant: int = 8123
    realtime: int = 8090

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Ports:
        """Defaults, or `HYBRID_VOICE_<NAME>_PORT` where set."""
        return cls(
            stt=_port(env, "HYBRID_VOICE_STT_PORT", cls.stt),
            tts=_port(env, "HYBRID_VOICE_TTS_PORT", cls.tts),
            llm=_port(env, "HYBRID_VOICE_LLM_PORT", cls.llm),
            satellite=_port(env, "HYBRID_VOICE_SATELLITE_PORT", cls.satellite),
            home_assistant=_port(env, "HYBRID_VOICE_HA_PORT", cls.home_assistant),
            realtime=_port(env, "HYBRID_VOICE_REALTIME_PORT", cls.realtime),
        )


@dataclass(frozen=True)
class StackSettings:
    """One local stack: its ports and its run directory (logs, HA config, sounds)."""

    root: Path = ROOT
    run_dir: Path = ROOT / ".run"
    ports: Ports = field(default_factory=Ports)
    servers_bin: Path = ROOT / ".venv" / "servers" / "bin"
    ha_python: Path = ROOT / ".venv" / "ha" / "bin" / "python"
    openai_api_key: str | None = None
    realtime_standin: bool = False
    standin_latency_ms: float = 0.0  # the stand-in's delay before its first delta

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, **overrides: object) -> StackSettings:
        """Settings for this checkout: venvs from `HYBRID_VOICE_VENVS`, ports from env."""
        venvs = Path(env.get("HYBRID_VOICE_VENVS") or ROOT / ".venv")
        values: dict[str, object] = {
            "run_dir": Path(env.get("HYBRID_VOICE_RUN_DIR") or ROOT / ".run"),
            "ports": Ports.from_env(env),
            "servers_bin": venvs / "servers" / "bin",
            "ha_python": venvs / "ha" / "bin" / "python",
            "openai_api_key": env.get("OPENAI_API_KEY") or None,
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def logs(self) -> Path:
        """One log file per service."""
        return self.run_dir / "logs"

    @property
    def ha_config(self) -> Path:
        """The demo instance's configuration directory (kept between starts)."""
        return self.run_dir / "ha-config"

    @property
    def mic_fifo(self) -> Path:
        """The virtual satellite's microphone: a named pipe `--say` speaks into."""
        return self.run_dir / "satellite-mic.fifo"

    @property
    def sounds(self) -> Path:
        """Everything the virtual satellite plays, as numbered WAV files."""
        return self.run_dir / "satellite-sounds"

    @property
    def state_file(self) -> Path:
        """Written while a stack runs: who runs it and where (read by `--say`)."""
        return self.run_dir / "stack.json"

    @property
    def ha_url(self) -> str:
        """The demo instance's address."""
        return f"http://127.0.0.1:{self.ports.home_assistant}"

    @property
    def llm_url(self) -> str:
        """The local model server's OpenAI-compatible base URL."""
        return f"http://127.0.0.1:{self.ports.llm}/v1"

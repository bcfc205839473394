"""The contenders as processes: our servers and rhasspy's, each from its own environment.

Ours come from the servers' environment (`hybrid-voice-stt`, `hybrid-voice-tts`), the
reference servers from the one bench/reference_env.sh makes. Both load the same model
files from our model store; the reference servers are told never to download
(`--local-files-only`, and the Hugging Face hub is switched offline), so a missing file
fails at once instead of reaching for the network.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.local_process import free_port, serving

ROOT = Path(__file__).resolve().parent.parent
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "TRANSFORMERS_OFFLINE": "1"}


@dataclass(frozen=True)
class Contender:
    """One side of the comparison: its program and command line."""

    side: str  # "ours" or "theirs"
    program: str  # what the report calls it
    argv: tuple[str, ...]  # without --uri
    cpus: int | None = None  # pinned to CPUs 0..cpus-1 (taskset), or free to use all

    def command(self) -> list[str]:
        """The command line that starts it (without --uri), pinned if `cpus` is set."""
        pin = ["taskset", "--cpu-list", f"0-{self.cpus - 1}"] if self.cpus else []
        return [*pin, *self.argv]


@dataclass
class RunningServer:
    """A contender's server as it runs: its process and port."""

    contender: Contender
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def memory_mb(self) -> dict[str, float]:
        """Peak (VmHWM) and current (VmRSS) resident memory of the server process."""
        return _status_kb(self.process.pid, ("VmHWM", "VmRSS"))

    def log(self) -> str:
        """Everything the server has logged so far."""
        return self.log_path.read_text(errors="replace")


def _status_kb(pid: int, keys: tuple[str, ...]) -> dict[str, float]:
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in keys:
            values[key] = int(rest.split()[0]) / 1024
    return values


@contextmanager
def running(
    contender: Contender, log_dir: Path, startup_timeout: float = 180.0
) -> Iterator[RunningServer]:
    """Start the server on a free local port; SIGTERM it (and wait) afterwards."""
    port = free_port()
    pinned = f"-{contender.cpus}cpu" if contender.cpus else ""
    log_path = log_dir / f"{contender.side}-{Path(contender.argv[0]).name}{pinned}.log"
    with serving(
        [*contender.command(), "--uri", f"tcp://127.0.0.1:{port}"],
        port=port,
        log_path=log_path,
        env=OFFLINE,
        startup_timeout=startup_timeout,
        stop_timeout=20,
    ) as process:
        yield RunningServer(contender, process, port, log_path)


def stt_contenders(
    servers_bin: Path, reference_bin: Path, whisper_dir: Path, data_dir: Path, threads: int
) -> tuple[Contender, Contender]:
    """Whisper tiny.en, int8, greedy (beam 1), `threads` CPU threads, English, both sides."""
    ours = Contender(
        "ours",
        "hybrid-voice-stt",
        (
            str(servers_bin / "hybrid-voice-stt"),
            *("--model", str(whisper_dir), "--threads", str(threads), "--language", "en"),
        ),
    )
    theirs = Contender(
        "theirs",
        "wyoming-faster-whisper 3.8.1",
        (
            str(reference_bin / "wyoming-faster-whisper"),
            *("--model", str(whisper_dir), "--data-dir", str(data_dir), "--local-files-only"),
            *("--compute-type", "int8", "--beam-size", "1", "--cpu-threads", str(threads)),
            *("--language", "en"),
        ),
    )
    return ours, theirs


def tts_contenders(
    servers_bin: Path, reference_bin: Path, voice_onnx: Path, cpus: int | None = None
) -> tuple[Contender, Contender]:
    """The same piper voice file on both sides; each server's own default settings.

    With `cpus`, both processes are pinned to the same `cpus` CPUs, and ours is told to
    use that many threads (wyoming-piper has no such setting; onnxruntime sizes its
    thread pool by the CPUs it finds).
    """
    threads = ("--threads", str(cpus)) if cpus else ()
    ours = Contender(
        "ours",
        "hybrid-voice-tts",
        (str(servers_bin / "hybrid-voice-tts"), "--voice", str(voice_onnx), *threads),
        cpus,
    )
    theirs = Contender(
        "theirs",
        "wyoming-piper 2.5.2",
        (
            str(reference_bin / "wyoming-piper"),
            *("--voice", voice_onnx.stem, "--data-dir", str(voice_onnx.parent)),
            "--local-files-only",
        ),
        cpus,
    )
    return ours, theirs

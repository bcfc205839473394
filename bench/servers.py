"""Our Wyoming servers against rhasspy's, side by side on the same model, voice and clips.

    .venv/servers/bin/python -m bench.servers [--rounds 3] [--tts-rounds 10] [--clients 20]
        [--tts-clients 10] [--tts-budgets 1] [--only tts]

Speech-to-text: hybrid-voice-stt against wyoming-faster-whisper 3.8.1, both on our
stored Whisper tiny.en (int8, beam 1, the same CPU threads, English). Each clip of the
corpus (see bench/speech_corpus.py) is streamed in real time, 1024-sample chunks at the
pace a microphone delivers them, alternately to ours and theirs; measured: time from
audio-stop to transcript, and word error rate.
Text-to-speech: hybrid-voice-tts against wyoming-piper 2.5.2 on the same piper voice
file, each with its own defaults; a 3-sentence reply, alternately, as one `synthesize`
and as a text stream; measured: time to the first audio chunk and to the end of audio.
Then 20 clients at once against each server (10 for text-to-speech), peak memory
(VmHWM) of each server process, and wyoming-bench (from PyPI, a client no one here
wrote) against our servers. The text-to-speech pair runs again at equal CPU budgets:
both processes pinned to the same N CPUs, ours with `--threads N`.
The reference environment is made by bench/reference_env.sh on first use.
Writes bench/reports/servers.md and servers.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench import piper_speech, servers_report
from bench.local_process import servers_bin
from bench.server_measurements import REPLY, measure_stt, measure_tts
from bench.server_processes import (
    ROOT,
    RunningServer,
    running,
    stt_contenders,
    tts_contenders,
)
from bench.speech_corpus import read_corpus
from wyoming_shared.model_paths import resolve_model

REPORTS = ROOT / "bench" / "reports"
TARGETS = {
    "stt_latency_ratio": 0.5,
    "tts_first_audio_ratio": 0.5,
    "tts_total_ratio": 1.0,
    "tts_throughput_ratio": 1.0,  # ours/theirs requests per second, at least
    "stt_peak_rss_mb": 500.0,
    "tts_peak_rss_mb": 300.0,
}


def parse_args() -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the STT corpus")
    parser.add_argument("--tts-rounds", type=int, default=10, help="TTS runs per side and mode")
    parser.add_argument("--clients", type=int, default=20, help="concurrent STT clients")
    parser.add_argument("--tts-clients", type=int, default=10, help="concurrent TTS clients")
    parser.add_argument(
        "--tts-budgets",
        type=int,
        nargs="*",
        default=[1],
        metavar="CPUS",
        help="also compare TTS with both servers pinned to this many CPUs (default 1)",
    )
    parser.add_argument("--threads", type=int, default=2, help="STT CPU threads, both sides")
    parser.add_argument("--skip-compat", action="store_true", help="do not run wyoming-bench")
    parser.add_argument("--only", choices=("stt", "tts"), help="run one half only")
    parser.add_argument("--out", type=Path, default=REPORTS, help="report directory")
    return parser.parse_args()


def reference_bin() -> Path:
    """Make the reference environment if needed (bench/reference_env.sh)."""
    script = ROOT / "bench" / "reference_env.sh"
    done = subprocess.run([str(script)], check=True, capture_output=True, text=True)
    return Path(done.stdout.strip().splitlines()[-1])


def wyoming_bench(reference: Path, kind: str, port: int, extra: list[str]) -> dict[str, Any]:
    """Run wyoming-bench's `kind` benchmark (batch and streaming) against one server."""
    command = [
        str(reference / "wyoming-bench"),
        kind,
        "--mode",
        "both",
        *extra,
        f"127.0.0.1:{port}",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        output, code = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as err:
        output, code = f"timed out: {err}", -1
    shown = shlex.join([Path(command[0]).name, *command[1:]])
    return {"command": shown, "exit_code": code, "output": output}


def run_stt(args: argparse.Namespace, reference: Path, work: Path) -> dict[str, Any]:
    """The speech-to-text comparison."""
    corpus = work / "corpus"
    piper_speech.make_corpus(corpus, resolve_model("piper-en_US-joe-medium"))
    clips = read_corpus(corpus)
    ours_c, theirs_c = stt_contenders(
        servers_bin(), reference, resolve_model("whisper-tiny.en"), work / "fw-data", args.threads
    )
    ours_c = replace(ours_c, argv=(*ours_c.argv, "--debug"))  # decode timings in its log
    logs = args.out / "servers_logs"
    with running(ours_c, logs) as ours, running(theirs_c, logs) as theirs:
        servers = {"ours": ours, "theirs": theirs}
        ports = {side: server.port for side, server in servers.items()}
        result = asyncio.run(measure_stt(ports, clips, args.rounds, args.clients, ours.log))
        result["compat"] = (
            {}
            if args.skip_compat
            else {
                side: wyoming_bench(
                    reference,
                    "stt",
                    server.port,
                    ["--corpus", str(corpus), "--rounds", "1", "--warmup", "1"],
                )
                for side, server in servers.items()
            }
        )
        result["servers"] = describe(servers)
    result["corpus"] = [{"name": c.name, "text": c.text, "seconds": c.seconds} for c in clips]
    return result


def run_tts(args: argparse.Namespace, reference: Path, work: Path) -> dict[str, Any]:
    """The text-to-speech comparison: each side's defaults, then at equal CPU budgets."""
    voice = resolve_model("piper-en_US-joe-medium")
    result = tts_pair(args, reference, voice, None)
    result["budgets"] = {
        str(cpus): tts_pair(args, reference, voice, cpus) for cpus in args.tts_budgets
    }
    result["profile"] = piper_speech.piper_pieces(voice, REPLY)
    return result


def tts_pair(
    args: argparse.Namespace, reference: Path, voice: Path, cpus: int | None
) -> dict[str, Any]:
    """Ours against theirs, each free to use the machine (`cpus` None) or pinned."""
    ours_c, theirs_c = tts_contenders(servers_bin(), reference, voice, cpus)
    logs = args.out / "servers_logs"
    with running(ours_c, logs) as ours, running(theirs_c, logs) as theirs:
        servers = {"ours": ours, "theirs": theirs}
        result = asyncio.run(
            measure_tts(
                {s: v.port for s, v in servers.items()},
                args.tts_rounds,
                args.tts_clients,
                ours.log,
            )
        )
        result["compat"] = (
            {}
            if args.skip_compat or cpus
            else {
                side: wyoming_bench(
                    reference,
                    "tts",
                    server.port,
                    ["--texts", REPLY, "Done.", "--rounds", "2", "--warmup", "1"],
                )
                for side, server in servers.items()
            }
        )
        result["servers"] = describe(servers)
    return result


def describe(servers: dict[str, RunningServer]) -> dict[str, Any]:
    """Program, command and memory of each running server."""
    return {
        side: {
            "program": server.contender.program,
            "command": " ".join([Path(server.contender.argv[0]).name, *server.contender.argv[1:]]),
            "cpus": server.contender.cpus,
            "threads": _thread_count(server.process.pid),
            "memory_mb": server.memory_mb(),
        }
        for side, server in servers.items()
    }


def _thread_count(pid: int) -> int:
    """Threads of a running process (onnxruntime's pool shows up here)."""
    return len(os.listdir(f"/proc/{pid}/task"))


def main() -> None:
    """Run the benchmark and write its reports."""
    args = parse_args()
    reference = reference_bin()
    began = time.time()
    report: dict[str, Any] = {
        "command": "python -m bench.servers " + " ".join(sys.argv[1:]),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_before": os.getloadavg(),
        },
        "targets": TARGETS,
    }
    (args.out / "servers_logs").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hybrid-voice-bench-") as tmp:
        work = Path(tmp)
        if args.only in (None, "stt"):
            report["stt"] = run_stt(args, reference, work)
        if args.only in (None, "tts"):
            report["tts"] = run_tts(args, reference, work)
    report["machine"]["load_after"] = os.getloadavg()
    report["duration_seconds"] = time.time() - began
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "servers.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    markdown = servers_report.render(report)
    (args.out / "servers.md").write_text(markdown)
    print(markdown)


if __name__ == "__main__":
    main()

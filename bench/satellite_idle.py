"""Satellite benchmark: CPU while idle-listening for the wake word, peak memory, wake latency.

    .venv/servers/bin/python -m bench.satellite_idle [--idle-seconds 60] [--trials 10]

The satellite runs as its own process with a named pipe as microphone. This script is
the room and Home Assistant: it writes microphone audio in real time (quiet noise, and
now and then "Okay Nabu" synthesized by the piper voice), and it is connected like Home
Assistant (run-satellite, a ping every 2 s). Measured:
- CPU time of the satellite process per second of audio while nothing is said;
- peak resident memory (VmHWM) of the satellite process;
- wake latency: from the moment the last sound of "Okay Nabu" was captured to the
  arrival of run-pipeline at Home Assistant.
Writes bench/reports/satellite_idle.md and .json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import queue
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import soxr  # type: ignore[import-untyped]
from piper import PiperVoice
from wyoming.asr import Transcript
from wyoming.client import AsyncTcpClient
from wyoming.ping import Ping
from wyoming.satellite import RunSatellite

from bench.local_process import free_port
from wyoming_shared.model_paths import resolve_model

RATE = 16000
CHUNK = 512
REPORTS = Path(__file__).resolve().parent / "reports"
TARGETS = {"cpu_percent_of_core": 10.0, "peak_rss_mb": 120.0, "wake_latency_median_ms": 200.0}


def wake_phrase() -> tuple[np.ndarray, int]:
    """'Okay Nabu' at 16 kHz and the index just after its last audible sample."""
    voice = PiperVoice.load(str(resolve_model("piper-en_US-joe-medium")))
    audio = np.concatenate([c.audio_int16_array for c in voice.synthesize("Okay nabu.")])
    speech = np.asarray(soxr.resample(audio, voice.config.sample_rate, RATE), dtype=np.int16)
    loud = np.flatnonzero(np.abs(speech.astype(np.int32)) > 500)
    return speech, int(loud[-1]) + 1


class Room(threading.Thread):
    """Writes microphone audio into the pipe like a real microphone.

    Each chunk is delivered once its last sample has 'happened'.
    """

    def __init__(self, fifo: Path) -> None:
        super().__init__(daemon=True)
        self.fifo = fifo
        self.said: queue.Queue[tuple[np.ndarray, int, list[float]]] = queue.Queue()
        self.stopping = threading.Event()
        self.noise = np.random.default_rng(1)

    def say(self, speech: np.ndarray, end_index: int) -> float:
        """Speak now; returns the monotonic time the speech ended (once it has)."""
        box: list[float] = []
        self.said.put((speech, end_index, box))
        while not box:
            time.sleep(0.01)
        return box[0]

    def run(self) -> None:
        """Write the chunks on time until stopped."""
        with self.fifo.open("wb", buffering=0) as pipe:
            start = time.monotonic()
            written = 0
            pending: np.ndarray | None = None
            position = 0
            end_index, box = 0, [0.0]
            while not self.stopping.is_set():
                chunk = (self.noise.normal(0, 30, CHUNK)).astype(np.int16)
                if pending is None and not self.said.empty():
                    pending, end_index, box = self.said.get()
                    box.clear()
                    position, speech_start = 0, start + written / RATE
                if pending is not None:
                    piece = pending[position : position + CHUNK]
                    chunk[: len(piece)] += piece
                    position += CHUNK
                    if position >= len(pending):
                        box.append(speech_start + end_index / RATE)
                        pending = None
                written += CHUNK
                delay = start + written / RATE - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                try:
                    pipe.write(chunk.tobytes())
                except BrokenPipeError:
                    return


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory of `pid`, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def home_assistant(port: int, run_pipeline_times: asyncio.Queue[float]) -> None:
    """Connects like Home Assistant; records when run-pipeline arrives."""
    for _ in range(100):
        try:
            client = AsyncTcpClient("127.0.0.1", port)
            await client.connect()
            break
        except OSError:
            await asyncio.sleep(0.2)
    else:
        raise SystemExit("the satellite did not start listening")
    await client.write_event(RunSatellite().event())

    async def ping() -> None:
        while True:
            await asyncio.sleep(2)
            await client.write_event(Ping().event())

    pinger = asyncio.create_task(ping())
    try:
        while (event := await client.read_event()) is not None:
            if event.type == "run-pipeline":
                run_pipeline_times.put_nowait(time.monotonic())
                await client.write_event(Transcript(text="").event())  # end the turn
    finally:
        pinger.cancel()


async def measure(args: argparse.Namespace) -> dict[str, object]:
    """Idle CPU and memory, then the wake-word latency trials."""
    speech, end_index = wake_phrase()
    with tempfile.TemporaryDirectory() as tmp:
        fifo = Path(tmp) / "mic"
        os.mkfifo(fifo)
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "satellite",
            "--uri",
            f"tcp://127.0.0.1:{port}",
            "--mic-file",
            str(fifo),
            "--no-sounds",
        ]
        log = (Path(tmp) / "satellite.log").open("w")
        process = await asyncio.create_subprocess_exec(
            *command, stdout=log, stderr=asyncio.subprocess.STDOUT
        )
        room = Room(fifo)
        room.start()
        times: asyncio.Queue[float] = asyncio.Queue()
        ha = asyncio.create_task(home_assistant(port, times))
        try:
            await asyncio.sleep(args.warm_up_seconds)
            cpu_before, wall_before = cpu_seconds(process.pid), time.monotonic()
            await asyncio.sleep(args.idle_seconds)
            cpu_used = cpu_seconds(process.pid) - cpu_before
            audio_seconds = time.monotonic() - wall_before
            latencies = []
            missed = 0
            for _ in range(args.trials):
                ended = await asyncio.to_thread(room.say, speech, end_index)
                try:
                    arrived = await asyncio.wait_for(times.get(), timeout=5)
                    latencies.append(1000 * (arrived - ended))
                except TimeoutError:
                    missed += 1
                await asyncio.sleep(3)  # past the refractory period, back to idle
            rss = peak_rss_mb(process.pid)
        finally:
            ha.cancel()
            room.stopping.set()
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=20)
            log.close()
    return {
        "audio_seconds_idle": round(audio_seconds, 1),
        "cpu_seconds_per_audio_second": round(cpu_used / audio_seconds, 4),
        "cpu_percent_of_core": round(100 * cpu_used / audio_seconds, 2),
        "peak_rss_mb": round(rss, 1),
        "wake_trials": args.trials,
        "wake_missed": missed,
        "wake_latency_ms": [round(v, 1) for v in latencies],
        "wake_latency_median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "wake_latency_max_ms": round(max(latencies), 1) if latencies else None,
    }


def write_reports(results: dict[str, object], args: argparse.Namespace) -> None:
    """The JSON and markdown reports."""
    machine = {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }
    verdicts = {
        key: (results[key] is not None and float(str(results[key])) <= target)
        for key, target in TARGETS.items()
    }
    report = {
        "machine": machine,
        "settings": vars(args),
        "results": results,
        "targets": TARGETS,
        "meets_target": verdicts,
    }
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "satellite_idle.json").write_text(json.dumps(report, indent=2) + "\n")
    rows = [
        (
            "CPU while idle-listening (% of one core)",
            results["cpu_percent_of_core"],
            TARGETS["cpu_percent_of_core"],
            verdicts["cpu_percent_of_core"],
        ),
        ("Peak RSS (MB)", results["peak_rss_mb"], TARGETS["peak_rss_mb"], verdicts["peak_rss_mb"]),
        (
            "Wake latency, median (ms)",
            results["wake_latency_median_ms"],
            TARGETS["wake_latency_median_ms"],
            verdicts["wake_latency_median_ms"],
        ),
    ]
    lines = [
        "# Satellite: idle listening and wake latency",
        "",
        f"Machine: {machine['cores']} cores ({machine['cpu']}), 1-minute load "
        f"{machine['load_average_1m']} at the end (shared machine), Python {machine['python']}.",
        f"Idle: {results['audio_seconds_idle']} s of quiet noise with okay_nabu listening and "
        f"Home Assistant connected (ping every 2 s). Wake: {results['wake_trials']} x "
        f'"Okay Nabu" (piper voice), {results["wake_missed"]} missed.',
        "",
        "| measure | result | target | met |",
        "|---|---|---|---|",
        *[
            f"| {name} | {value} | <= {target} | {'yes' if ok else 'no'} |"
            for name, value, target, ok in rows
        ],
        "",
        f"Wake latencies (ms, end of phrase to run-pipeline): {results['wake_latency_ms']}",
        "",
        "Command: `.venv/servers/bin/python -m bench.satellite_idle "
        f"--idle-seconds {args.idle_seconds} --trials {args.trials}`",
    ]
    (REPORTS / "satellite_idle.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    """Run the benchmark and write its reports."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--warm-up-seconds", type=float, default=3.0)
    args = parser.parse_args()
    results = asyncio.run(measure(args))
    write_reports(results, args)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

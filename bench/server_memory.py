"""Server memory: peak resident memory, and what clients that vanish leave behind.

    .venv/ha/bin/python -m bench.server_memory [--rounds 3]

Runs the real speech servers as child processes and reads their memory from /proc:
- TTS (piper-en_US-joe-medium): peak RSS (VmHWM) after sentences that make long audio
  in one go (a run-on sentence, read-out numbers);
- TTS: RSS growth over rounds of clients that drop the connection mid-request;
- STT (whisper-tiny.en, utterances up to 20 s, one request waiting): RSS growth over
  rounds of 20 clients that send 15 s of audio and vanish without audio-stop, measured
  after each round against the first (which sets the allocator's high-water mark: a
  leak keeps growing with every round, memory that is only reused does not); peak RSS.
The speech the STT server hears is made by the TTS server. Writes
bench/reports/server_memory.md and .json; exits with status 1 if a budget is exceeded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from wyoming.asr import Transcribe
from wyoming.audio import AudioChunk, AudioStart
from wyoming.client import AsyncTcpClient
from wyoming.event import Event, async_read_event, async_write_event
from wyoming.info import Describe

from bench.local_process import RunningServer, running_server

REPORTS = Path(__file__).resolve().parent / "reports"
TTS_RATE = 22050
SENTENCE = "The hallway lights turn off at midnight unless somebody is still at home."
LONG_AUDIO = (
    " ".join(["the garden sprinklers water the lawn and the hedge"] * 8) + ".",
    "The meter reads 3,456,789 watt hours, 12,345,678 litres and 98,765,432 steps.",
)
BUDGETS_MB = {"tts_peak": 300, "tts_growth": 30, "stt_growth": 16, "stt_peak": 500}


def memory_mb(server: RunningServer, field: str = "VmRSS") -> float:
    """A memory figure of the server process from /proc, in MB."""
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    assert match is not None, field
    return round(int(match[1]) / 1024, 1)


async def synthesize(port: int, text: str) -> bytes:
    """The TTS server's audio for `text` (22050 Hz 16-bit mono)."""
    audio = bytearray()
    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Event("synthesize", {"text": text}))
        while (event := await asyncio.wait_for(client.read_event(), 120)) is not None:
            if event.type == "audio-chunk":
                audio += event.payload or b""
            elif event.type in ("audio-stop", "error"):
                break
    return bytes(audio)


async def vanish(port: int, events: list[Event], wait_for_audio: bool) -> None:
    """Send a request, maybe wait for its first audio, then drop the connection hard."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for event in events:
        await async_write_event(event, writer)
    while wait_for_audio:
        received = await asyncio.wait_for(async_read_event(reader), 60)
        wait_for_audio = received is not None and received.type != "audio-chunk"
    writer.transport.abort()


async def tts_vanishing_round(port: int) -> None:
    """Three clients that leave mid-request: during audio, mid-stream, mid-text."""
    long_text = " ".join([SENTENCE] * 12)
    await vanish(port, [Event("synthesize", {"text": long_text})], wait_for_audio=True)
    start = Event("synthesize-start", {})
    chunks = [Event("synthesize-chunk", {"text": SENTENCE + " "}) for _ in range(2)]
    await vanish(port, [start, *chunks], wait_for_audio=True)
    await vanish(port, [start, Event("synthesize-chunk", {"text": "Hel"})], wait_for_audio=False)


async def measure_tts(work: Path, rounds: int) -> tuple[dict[str, Any], bytes]:
    """TTS peak and growth; also returns speech for the STT measurement."""
    with running_server(
        "hybrid-voice-tts", "--voice", "piper-en_US-joe-medium", log_dir=work
    ) as tts:
        ready_mb = memory_mb(tts)
        speech = await synthesize(tts.port, "Turn on the kitchen light.")
        for text in LONG_AUDIO:
            await synthesize(tts.port, text)
        peak_mb = memory_mb(tts, "VmHWM")
        baseline_mb = memory_mb(tts)
        growth = []
        for _ in range(rounds):
            for _ in range(8):
                await tts_vanishing_round(tts.port)
            await synthesize(tts.port, "I am still here.")  # queued after every piece
            growth.append(round(memory_mb(tts) - baseline_mb, 1))
    result = {"ready_mb": ready_mb, "peak_mb": peak_mb, "growth_per_round_mb": growth}
    return result, speech


async def abandon(port: int, pcm: bytes) -> None:
    """Start a transcription, send all its audio, make sure it arrived, vanish."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    fmt = {"rate": TTS_RATE, "width": 2, "channels": 1}
    await async_write_event(Transcribe().event(), writer)
    await async_write_event(AudioStart(**fmt).event(), writer)
    step = TTS_RATE // 10 * 2
    for offset in range(0, len(pcm), step):
        await async_write_event(
            AudioChunk(audio=pcm[offset : offset + step], **fmt).event(), writer
        )
    await async_write_event(Describe().event(), writer)
    while (event := await asyncio.wait_for(async_read_event(reader), 60)) is not None:
        if event.type == "info":
            break
    writer.close()
    await writer.wait_closed()


async def measure_stt(work: Path, speech: bytes, rounds: int) -> dict[str, Any]:
    """STT growth over rounds of abandoned 15-second requests, and its peak."""
    pcm = speech + bytes(int(13.0 * TTS_RATE) * 2)  # the command, then 13 s of silence
    with running_server(
        "hybrid-voice-stt",
        *("--model", "whisper-tiny.en", "--threads", "2"),
        *("--max-seconds", "20", "--max-waiting", "1"),
        log_dir=work,
    ) as stt:
        ready_mb = memory_mb(stt)
        after_rounds = []
        for _ in range(rounds):
            for _ in range(20):
                await abandon(stt.port, pcm)
            after_rounds.append(memory_mb(stt))
        peak_mb = memory_mb(stt, "VmHWM")
    growth = [round(mb - after_rounds[0], 1) for mb in after_rounds[1:]]
    return {
        "ready_mb": ready_mb,
        "rss_after_each_round_mb": after_rounds,
        "growth_after_first_round_mb": growth,
        "peak_mb": peak_mb,
        "audio_seconds_per_request": round(len(pcm) / (2 * TTS_RATE), 1),
    }


def verdicts(results: dict[str, Any]) -> dict[str, tuple[float, bool]]:
    """Each budgeted figure (the largest growth of any round) and whether it is within."""
    figures = {
        "tts_peak": results["tts"]["peak_mb"],
        "tts_growth": max(results["tts"]["growth_per_round_mb"]),
        "stt_growth": max(results["stt"]["growth_after_first_round_mb"]),
        "stt_peak": results["stt"]["peak_mb"],
    }
    return {key: (value, value < BUDGETS_MB[key]) for key, value in figures.items()}


def write_reports(results: dict[str, Any], args: argparse.Namespace) -> bool:
    """Write the markdown and JSON reports; True if every budget is met."""
    checked = verdicts(results)
    machine = {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }
    report = {"machine": machine, "rounds": args.rounds, "results": results}
    report["budgets_mb"] = BUDGETS_MB
    report["within_budget"] = {key: ok for key, (_, ok) in checked.items()}
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "server_memory.json").write_text(json.dumps(report, indent=2) + "\n")
    names = {
        "tts_peak": "TTS peak RSS after long-audio sentences",
        "tts_growth": "TTS RSS growth per round of 24 vanishing clients (largest)",
        "stt_growth": "STT RSS growth per further round of 20 abandoned requests (largest)",
        "stt_peak": "STT peak RSS",
    }
    lines = [
        "# Speech servers: memory",
        "",
        f"Machine: {machine['cores']} cores ({machine['cpu']}), 1-minute load "
        f"{machine['load_average_1m']} at the end (shared machine), Python {machine['python']}.",
        "",
        "| measure | MB | budget (MB) | within |",
        "|---|---|---|---|",
        *[
            f"| {names[key]} | {value} | < {BUDGETS_MB[key]} | {'yes' if ok else 'no'} |"
            for key, (value, ok) in checked.items()
        ],
        "",
        f"TTS: {results['tts']['ready_mb']} MB when ready; growth after each round: "
        f"{results['tts']['growth_per_round_mb']} MB.",
        f"STT: {results['stt']['ready_mb']} MB when ready; RSS after each round of 20: "
        f"{results['stt']['rss_after_each_round_mb']} MB.",
        "",
        f"Command: `.venv/ha/bin/python -m bench.server_memory --rounds {args.rounds}`",
    ]
    (REPORTS / "server_memory.md").write_text("\n".join(lines) + "\n")
    return all(ok for _, ok in checked.values())


async def measure(rounds: int) -> dict[str, Any]:
    """Both servers, one after the other."""
    with tempfile.TemporaryDirectory(prefix="server-memory-") as work:
        tts, speech = await measure_tts(Path(work), rounds)
        stt = await measure_stt(Path(work), speech, rounds)
    return {"tts": tts, "stt": stt}


def main() -> None:
    """Measure, write the reports, exit 1 if a budget is exceeded."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of vanishing clients")
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error("--rounds must be at least 2 (growth is measured after the first)")
    results = asyncio.run(measure(args.rounds))
    within = write_reports(results, args)
    print(json.dumps(results, indent=2))
    sys.exit(0 if within else 1)


if __name__ == "__main__":
    main()

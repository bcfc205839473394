"""The timed part of bench/servers.py.

Requests to ours and theirs, alternately, and many clients at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench import server_profile
from bench.speech_corpus import Clip
from bench.timing_stats import compare, summarize
from bench.wer import WordErrors, corpus_wer
from bench.wyoming_requests import SttResult, TtsResult, synthesize, transcribe

SIDES = ("ours", "theirs")
REPLY = (
    "The kitchen light is now on and dimmed to fifty percent. "
    "The living room is at twenty one degrees, and the front door is locked. "
    "Is there anything else you would like me to do?"
)
# Trailing silence streamed after the speech, i.e. how long Home Assistant's voice
# activity detection waits before it ends the request: the first is its default and
# the one the targets are judged on.
STT_SCENARIOS = {"HA default end of speech (0.7 s)": 0.7, "HA aggressive (0.25 s)": 0.25}


async def alternate(
    runs: int, request: Callable[[str, int], Awaitable[Any]]
) -> tuple[dict[str, list[Any]], list[str]]:
    """`request(side, i)` for i in range(runs), ours then theirs each time.

    A pair where either side failed is dropped from the comparison and its error recorded.
    """
    results: dict[str, list[Any]] = {side: [] for side in SIDES}
    errors: list[str] = []
    for i in range(runs):
        pair: dict[str, Any] = {}
        for side in SIDES:
            try:
                pair[side] = await request(side, i)
            except Exception as err:
                errors.append(f"{side} run {i}: {type(err).__name__}: {err}")
        if len(pair) == len(SIDES):
            for side in SIDES:
                results[side].append(pair[side])
    return results, errors


async def crowd(clients: int, request: Callable[[int], Awaitable[Any]]) -> dict[str, Any]:
    """`clients` requests at once; how many succeeded and how fast they were served."""
    began = time.monotonic()
    outcomes = await asyncio.gather(*(request(i) for i in range(clients)), return_exceptions=True)
    wall = time.monotonic() - began
    done = [(i, o) for i, o in enumerate(outcomes) if not isinstance(o, BaseException)]
    return {
        "clients": clients,
        "succeeded": len(done),
        "errors": [f"{type(o).__name__}: {o}" for o in outcomes if isinstance(o, BaseException)],
        "wall_seconds": wall,
        "requests_per_second": len(done) / wall,
        "results": done,
    }


async def measure_stt(
    ports: dict[str, int],
    clips: list[Clip],
    rounds: int,
    clients: int,
    ours_log: Callable[[], str],
) -> dict[str, Any]:
    """Each clip streamed in real time, ours and theirs alternately.

    `rounds` times for each trailing-silence scenario, then `clients` whole clips at once
    to each server.
    """
    for side in SIDES:  # warm-up, untimed
        await transcribe(ports[side], clips[0], realtime=False)
    scenarios: dict[str, Any] = {}
    for name, tail in STT_SCENARIOS.items():
        log_start = len(ours_log())
        streamed = [clip.with_tail(tail) for clip in clips]

        async def one(side: str, i: int, streamed: list[Clip] = streamed) -> dict[str, Any]:
            clip = streamed[i % len(streamed)]
            result = await transcribe(ports[side], clip, realtime=True)
            return {
                "clip": clip.name,
                "seconds": clip.seconds,
                "latency": result.latency,
                "text": result.text,
                "reference": clip.text,
            }

        runs, errors = await alternate(rounds * len(clips), one)
        wer = {side: corpus_wer((r["reference"], r["text"]) for r in runs[side]) for side in SIDES}
        scenarios[name] = {
            "tail_seconds": tail,
            "latency": compare(*([r["latency"] for r in runs[side]] for side in SIDES)).as_dict(),
            "wer": {side: _wer_dict(w) for side, w in wer.items()},
            "runs": runs,
            "errors": errors,
            "ours_log": server_profile.stt_log_profile(ours_log()[log_start:]),
        }
    load: dict[str, Any] = {}
    for side in SIDES:
        port = ports[side]

        async def batch(i: int, port: int = port) -> SttResult:
            return await transcribe(port, clips[i % len(clips)], realtime=False)

        outcome = await crowd(clients, batch)
        results = outcome.pop("results")
        outcome["wer"] = _wer_dict(
            corpus_wer((clips[i % len(clips)].text, r.text) for i, r in results)
        )
        outcome["latency"] = (
            summarize([r.latency for _, r in results]).as_dict() if results else None
        )
        load[side] = outcome
    return {"scenarios": scenarios, "concurrent": load}


def _wer_dict(counted: WordErrors) -> dict[str, float]:
    return {"rate": counted.rate, "errors": counted.errors, "words": counted.words}


async def measure_tts(
    ports: dict[str, int], rounds: int, clients: int, ours_log: Callable[[], str]
) -> dict[str, Any]:
    """The reply as one synthesize and as a text stream, `rounds` times each, alternately.

    Then `clients` requests at once to each server.
    """
    log_start = len(ours_log())
    modes: dict[str, Any] = {}
    for mode, streaming in (("synthesize", False), ("stream", True)):
        for side in SIDES:  # warm-up, untimed
            await synthesize(ports[side], REPLY, streaming=streaming)

        async def one(side: str, _i: int, streaming: bool = streaming) -> dict[str, float]:
            result = await synthesize(ports[side], REPLY, streaming=streaming)
            return {
                "first_audio": result.first_audio,
                "total": result.total,
                "audio_seconds": result.audio_seconds,
            }

        runs, errors = await alternate(rounds, one)
        modes[mode] = {
            "first_audio": compare(*([r["first_audio"] for r in runs[s]] for s in SIDES)).as_dict(),
            "total": compare(*([r["total"] for r in runs[s]] for s in SIDES)).as_dict(),
            "audio_seconds": {
                s: summarize([r["audio_seconds"] for r in runs[s]]).median for s in SIDES
            },
            "errors": errors,
        }
    # Our server's own first-audio times for the alternating runs (warm-ups included).
    first_audio = server_profile.tts_log_first_audio(ours_log()[log_start:])
    load: dict[str, Any] = {}
    for side in SIDES:
        port = ports[side]

        async def speak(_i: int, port: int = port) -> TtsResult:
            return await synthesize(port, REPLY, streaming=False)

        outcome = await crowd(clients, speak)
        results = outcome.pop("results")
        outcome["first_audio"] = (
            summarize([r.first_audio for _, r in results]).as_dict() if results else None
        )
        load[side] = outcome
    return {
        "reply": REPLY,
        "modes": modes,
        "concurrent": load,
        "server_first_audio_ms": first_audio,
    }

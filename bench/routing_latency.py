"""Our latency from an utterance to the first fast-path delta, against the stand-in.

For each general utterance of the routing set: the router's decision, the privacy
boundary's request, and `RealtimeSession.reply` on the warm WebSocket, until the first
text delta arrives. The stand-in waits `latency_ms` before its first delta (the
service's own time); what is left is ours: routing, building, sending, reading.

    python -m bench.routing_latency [--latency-ms 200] [--turns 40]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.realtime_standin import RealtimeStandin, running_standin
from bench.routing import REPORTS, vocabulary
from bench.routing_dataset import load_all, load_home
from bench.timing_stats import percentile
from custom_components.hybrid_voice.engine.home_model import EntityInfo, ExposedHome
from custom_components.hybrid_voice.engine.router import ConversationState, route_utterance
from custom_components.hybrid_voice.fast.cloud_request import (
    DEFAULT_FAST_INSTRUCTIONS,
    PrivateWords,
    build_cloud_request,
)
from custom_components.hybrid_voice.fast.realtime_session import (
    RealtimeSession,
    RealtimeSettings,
)

HOME = "family_house"


def _private_words(home_name: str) -> PrivateWords:
    home = load_home(home_name)
    entities = [
        EntityInfo(f"device.n{index}", name, "device")
        for index, name in enumerate(home.device_names)
    ]
    return PrivateWords.of(ExposedHome(entities, list(home.place_names)))


async def measure(latency_ms: float, turns: int) -> dict[str, Any]:
    """Added milliseconds (first delta minus the stand-in's latency) per fast turn."""
    words = vocabulary(load_home(HOME))
    private = _private_words(HOME)
    texts = [
        case.text
        for case in load_all()
        if case.home == HOME
        and case.previous is None
        and route_utterance(case.text, words).path == "fast"
        and not private.named_in(case.text)  # the boundary keeps those local
    ][:turns]
    added: list[float] = []
    routing: list[float] = []
    async with (
        running_standin(RealtimeStandin(latency_ms=latency_ms)) as standin,
        aiohttp.ClientSession() as http,
    ):
        settings = RealtimeSettings(standin.base_url, "sk-bench", "gpt-realtime-mini")
        config = build_cloud_request(DEFAULT_FAST_INSTRUCTIONS, private).session
        session = RealtimeSession(http, settings, config)
        session.start()
        warm_up = build_cloud_request(DEFAULT_FAST_INSTRUCTIONS, private, text="hello")
        async for _delta in session.reply(warm_up.response or {}):
            pass  # the socket is open and configured, as it is between turns
        for text in texts:
            start = time.perf_counter()
            decision = route_utterance(text, words, ConversationState(), "en")
            routed = time.perf_counter()
            request = build_cloud_request(DEFAULT_FAST_INSTRUCTIONS, private, text=text)
            first: float | None = None
            if decision.path != "fast" or request.response is None:
                raise RuntimeError(f"{text!r} did not go to the fast path")
            async for _delta in session.reply(request.response):
                first = first or time.perf_counter()
            assert first is not None, text
            added.append((first - start) * 1000 - latency_ms)
            routing.append((routed - start) * 1000)
        await session.async_stop()
    return {
        "standin_latency_ms": latency_ms,
        "turns": len(added),
        "connections": len(standin.accepted),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "added_median_ms": round(statistics.median(added), 2),
        "added_p95_ms": round(percentile(added, 0.95), 2),
        "routing_median_ms": round(statistics.median(routing), 3),
    }


def main(argv: list[str] | None = None) -> int:
    """Measure and write `routing_latency.json` and `.md` into `--out`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--out", type=Path, default=REPORTS)
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.latency_ms, args.turns))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "routing_latency.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / "routing_latency.md").write_text(
        "# Added latency to the first fast-path delta\n\n"
        f"{result['turns']} general utterances of `{HOME}` on {result['connections']}"
        f" WebSocket(s); the stand-in waits {args.latency_ms:g} ms before its first delta."
        f" Load average {result['load_average_1min']} on 2 shared cores.\n\n"
        "| ours, median | ours, p95 | of which routing, median |\n|---|---|---|\n"
        f"| {result['added_median_ms']} ms | {result['added_p95_ms']} ms |"
        f" {result['routing_median_ms']} ms |\n"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

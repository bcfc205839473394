"""Prompt-prefix reuse in `hybrid-voice-llm` on the think path's own requests.

Each round makes the prefix new (a session line in the persona), then sends:
- cold: a first turn with nothing of the prefix in the KV cache, as after a restart;
- warm-up: the agent's one-token warm-up request on another new prefix, which it sends
  in the background once Home Assistant has started (`warm_up.py`);
- warmed: the same first turn right after that warm-up;
- warm: a next turn with the same prefix.
The server runs with --debug, so its log says how many prompt tokens each request
reused and evaluated: the evidence of the cache hit next to the latencies.

    python -m bench.llm_prefix_cache [--model qwen2.5-coder-1.5b-q4] [--rounds 3]

Run it from Home Assistant's environment (it imports the agent's prompt modules).
Writes bench/reports/llm_prefix_cache.{md,json}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from bench.llm_sampling import think_prefix, think_request
from bench.local_process import running_server, wait_healthy
from custom_components.hybrid_voice.engine.prompt import warm_up_messages

REPORTS = Path(__file__).resolve().parent / "reports"
PREFIX_HIT = re.compile(r"Llama\.generate: (\d+) prefix-match hit, remaining (\d+) prompt")
PROMPT_EVAL = re.compile(r"prompt eval time =\s+([\d.]+) ms /\s+(\d+) tokens")
FIRST_TURN = ("turn on the kitchen light", ["Kitchen Light"])
NEXT_TURN = ("switch off the ceiling fan and lock the front door", ["Ceiling Fan", "Front Door"])
KINDS = ("cold", "warm_up", "warmed", "warm")


def model_passes(log_text: str) -> list[dict[str, Any]]:
    """One entry per model pass in the server log: prompt tokens reused and evaluated."""
    passes = []
    reused = 0
    for line in log_text.splitlines():
        if hit := PREFIX_HIT.search(line):
            reused = int(hit.group(1))
        elif evaluation := PROMPT_EVAL.search(line):
            passes.append({"reused": reused, "evaluated": int(evaluation.group(2))})
            reused = 0
    return passes


def timed(port: int, log: Path, body: dict[str, Any]) -> dict[str, Any]:
    """One request (not streamed).

    Its latency, its reply and the server's own count of reused and evaluated prompt tokens.
    """
    offset = log.stat().st_size
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/chat/completions",
        data=json.dumps({**body, "stream": False}).encode(),
        headers={"content-type": "application/json"},
    )
    start = time.monotonic()
    with urllib.request.urlopen(request, timeout=600) as response:
        reply = json.load(response)
    seconds = time.monotonic() - start
    time.sleep(0.2)  # let the server flush its per-request statistics
    with log.open("rb") as stream:
        stream.seek(offset)
        passes = model_passes(stream.read().decode(errors="replace"))
    return {
        "seconds": round(seconds, 3),
        "prompt_tokens": reply["usage"]["prompt_tokens"],
        "reused": sum(p["reused"] for p in passes),
        "evaluated": sum(p["evaluated"] for p in passes),
        "reply": reply["choices"][0]["message"]["content"],
    }


def one_round(port: int, log: Path) -> dict[str, Any]:
    """A cold first turn, one after the warm-up, and a next turn, on a fresh server."""

    def persona() -> str:
        return f"Session {uuid.uuid4().hex[:8]}."

    cold = timed(port, log, think_request(*FIRST_TURN, persona()))
    fresh = persona()
    warm_up = {"messages": warm_up_messages(think_prefix(fresh)), "max_tokens": 1}
    return {
        "cold": cold,
        "warm_up": timed(port, log, {**warm_up, "temperature": 0}),
        "warmed": timed(port, log, think_request(*FIRST_TURN, fresh)),
        "warm": timed(port, log, think_request(*NEXT_TURN, fresh)),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every round on its own server; the medians."""
    rounds: list[dict[str, Any]] = []
    flags = ["--model", args.model, "--threads", str(args.threads), "--ctx", str(args.ctx)]
    with (
        tempfile.TemporaryDirectory() as logs,
        running_server("hybrid-voice-llm", *flags, "--debug", log_dir=Path(logs)) as server,
    ):
        wait_healthy(server.port)
        load_before = os.getloadavg()
        for index in range(args.rounds):
            rounds.append(one_round(server.port, server.log_path))
            print(
                f"round {index + 1}: "
                + ", ".join(f"{kind} {rounds[-1][kind]['seconds']:.2f} s" for kind in KINDS)
            )
        load_after = os.getloadavg()
    return {
        "model": args.model,
        "threads": args.threads,
        "ctx": args.ctx,
        "cpu_count": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "rounds": rounds,
        "median": {
            kind: {
                key: statistics.median(r[kind][key] for r in rounds)
                for key in ("seconds", "reused", "evaluated")
            }
            for kind in KINDS
        },
    }


def markdown(result: dict[str, Any]) -> str:
    """The markdown report."""
    med = result["median"]
    lines = [
        "# Prompt-prefix reuse in hybrid-voice-llm",
        "",
        f"Model `{result['model']}`, {result['threads']} threads, ctx {result['ctx']}, "
        f"{result['cpu_count']} CPUs (load average {result['load_average_before'][0]:.1f} "
        f"before, {result['load_average_after'][0]:.1f} after), {len(result['rounds'])} rounds.",
        "Requests: the think path's own (system prompt, devices, worked examples, then the "
        "turn), temperature 0, under the plan schema; the warm-up is the agent's own.",
        "",
        "| request | median latency | median prompt tokens reused | median evaluated |",
        "|---|---|---|---|",
    ]
    for kind in KINDS:
        row = med[kind]
        lines.append(
            f"| {kind} | {row['seconds']:.2f} s | {row['reused']:.0f} | {row['evaluated']:.0f} |"
        )
    lines += [
        "",
        f"First turn after the warm-up / first turn cold (ratio of medians): "
        f"{med['warmed']['seconds'] / med['cold']['seconds']:.2f}.",
        "",
        "| round | request | latency | prompt tokens | reused | evaluated | reply |",
        "|---|---|---|---|---|---|---|",
    ]
    for number, entry in enumerate(result["rounds"], 1):
        for kind in KINDS:
            r = entry[kind]
            lines.append(
                f"| {number} | {kind} | {r['seconds']:.2f} s | {r['prompt_tokens']} | "
                f"{r['reused']} | {r['evaluated']} | `{r['reply']}` |"
            )
    lines += [
        "",
        "`reused`/`evaluated`: prompt tokens taken from the KV cache / computed, from the",
        "server's own log (`prefix-match hit`, `prompt eval time`). Latency also includes",
        "generating the reply, which no prompt cache can save.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark and write its reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-1.5b-q4")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ctx", type=int, default=4096)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    result = run(args)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "llm_prefix_cache.json").write_text(json.dumps(result, indent=2) + "\n")
    (REPORTS / "llm_prefix_cache.md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()

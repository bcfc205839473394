"""Prompt-prefix reuse in `hybrid-voice-llm`: cold vs warm think-path requests.

Each round sends two requests that share a ~300-token prefix (system prompt + tool
list), as the think path does on consecutive turns:
- cold: the prefix starts with a line that is new in this round, so nothing of it is
  in the KV cache;
- warm: the same prefix with another utterance; only the tokens after the prefix
  should be evaluated.
The server runs with --debug, so its log says how many prompt tokens each request
reused and evaluated; that is the evidence of the cache hit next to the latencies.

    python bench/llm_prefix_cache.py [--model qwen2.5-coder-1.5b-q4] [--rounds 3]

Writes bench/reports/llm_prefix_cache.{md,json}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.servers import console_script

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "bench" / "reports"
READY = re.compile(r"ready: \S+ on http://[^:]+:(\d+)/v1")
PREFIX_HIT = re.compile(r"Llama\.generate: (\d+) prefix-match hit, remaining (\d+) prompt")
PROMPT_EVAL = re.compile(r"prompt eval time =\s+([\d.]+) ms /\s+(\d+) tokens")

HOME = """You are the voice assistant of a Home Assistant home. Answer in one short
sentence; use a tool to change a device. Devices (name, area): Kitchen Light, Kitchen;
Living Room Lamp, Living Room; Ceiling Fan, Bedroom; Hallway Light, Hallway; Garage
Door, Garage."""
PARAMETERS = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "area": {"type": "string"},
        "domain": {"type": "string"},
    },
    "required": ["name"],
}
TOOLS = [
    {"type": "function", "function": {"name": name, "description": text, "parameters": PARAMETERS}}
    for name, text in (
        ("HassTurnOn", "Turns on, opens or unlocks a device"),
        ("HassTurnOff", "Turns off, closes or locks a device"),
    )
]
COLD_UTTERANCE = "turn on the kitchen light"
WARM_UTTERANCE = "turn off the hallway light"


def server_command(model: str, threads: int, ctx: int) -> list[str]:
    return [
        console_script("hybrid-voice-llm"),
        "--uri",
        "tcp://127.0.0.1:0",
        "--model",
        model,
        "--threads",
        str(threads),
        "--ctx",
        str(ctx),
        "--debug",
    ]


def wait_ready(process: subprocess.Popen[bytes], log: Path) -> int:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if match := READY.search(log.read_text(errors="replace")):
            return int(match.group(1))
        if process.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    raise SystemExit("server did not become ready")


def chat(port: int, system: str, utterance: str) -> dict[str, Any]:
    body = {
        "messages": [{"role": "system", "content": system}, {"role": "user", "content": utterance}],
        "tools": TOOLS,
        "temperature": 0,
        "max_tokens": 48,
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/chat/completions",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        result: dict[str, Any] = json.load(response)
        return result


def model_passes(log_text: str) -> list[dict[str, Any]]:
    """One entry per model pass in the server log: prompt tokens reused and evaluated."""
    passes = []
    reused = 0
    for line in log_text.splitlines():
        if hit := PREFIX_HIT.search(line):
            reused = int(hit.group(1))
        elif evaluation := PROMPT_EVAL.search(line):
            passes.append(
                {
                    "reused": reused,
                    "evaluated": int(evaluation.group(2)),
                    "ms": float(evaluation.group(1)),
                }
            )
            reused = 0
    return passes


def timed(port: int, log: Path, system: str, utterance: str) -> dict[str, Any]:
    offset = log.stat().st_size
    start = time.monotonic()
    reply = chat(port, system, utterance)
    seconds = time.monotonic() - start
    time.sleep(0.2)  # let the server flush its per-request statistics
    with log.open("rb") as stream:
        stream.seek(offset)
        text = stream.read().decode(errors="replace")
    passes = model_passes(text)
    message = reply["choices"][0]["message"]
    calls = [c["function"]["name"] for c in message.get("tool_calls") or []]
    return {
        "seconds": round(seconds, 3),
        "prompt_tokens": reply["usage"]["prompt_tokens"],
        "passes": len(passes),
        "reused_first_pass": passes[0]["reused"] if passes else None,
        "evaluated_first_pass": passes[0]["evaluated"] if passes else None,
        "prompt_eval_ms": round(sum(p["ms"] for p in passes), 1),
        "prompt_tokens_evaluated": sum(p["evaluated"] for p in passes),
        "tool_calls": calls,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    REPORTS.mkdir(parents=True, exist_ok=True)
    log = REPORTS / "llm_prefix_cache.server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            server_command(args.model, args.threads, args.ctx),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    rounds: list[dict[str, Any]] = []
    try:
        port = wait_ready(process, log)
        load_before = os.getloadavg()
        for index in range(args.rounds):
            system = f"Session {uuid.uuid4().hex[:8]}.\n{HOME}"
            cold = timed(port, log, system, COLD_UTTERANCE)
            warm = timed(port, log, system, WARM_UTTERANCE)
            rounds.append({"round": index + 1, "cold": cold, "warm": warm})
            print(f"round {index + 1}: cold {cold['seconds']} s, warm {warm['seconds']} s")
        load_after = os.getloadavg()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    log.unlink()
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
                for key in ("seconds", "prompt_eval_ms", "prompt_tokens_evaluated")
            }
            for kind in ("cold", "warm")
        },
    }


def markdown(result: dict[str, Any]) -> str:
    med = result["median"]
    lines = [
        "# Prompt-prefix reuse in hybrid-voice-llm",
        "",
        f"Model `{result['model']}`, {result['threads']} threads, ctx {result['ctx']}, "
        f"{result['cpu_count']} CPUs (load average {result['load_average_before'][0]:.1f} "
        f"before, {result['load_average_after'][0]:.1f} after), {len(result['rounds'])} rounds.",
        "Request: think-path style chat completion, system prompt + 2 tools "
        "(chatml-function-calling), temperature 0.",
        "",
        "| | median latency | median prompt-eval time | median prompt tokens evaluated |",
        "|---|---|---|---|",
    ]
    for kind in ("cold", "warm"):
        lines.append(
            f"| {kind} | {med[kind]['seconds']:.2f} s | "
            f"{med[kind]['prompt_eval_ms']:.0f} ms | "
            f"{med[kind]['prompt_tokens_evaluated']:.0f} |"
        )
    ratio = med["warm"]["seconds"] / med["cold"]["seconds"]
    lines += [
        "",
        f"Warm/cold latency ratio: {ratio:.2f}.",
        "",
        "| round | kind | latency | prompt tokens | reused (first pass) | "
        "evaluated (first pass) | tool calls |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in result["rounds"]:
        for kind in ("cold", "warm"):
            r = entry[kind]
            lines.append(
                f"| {entry['round']} | {kind} | {r['seconds']:.2f} s | "
                f"{r['prompt_tokens']} | {r['reused_first_pass']} | "
                f"{r['evaluated_first_pass']} | {', '.join(r['tool_calls']) or '-'} |"
            )
    lines += [
        "",
        "`reused`/`evaluated`: prompt tokens of the request's first model pass taken from",
        "the KV cache / computed, read from the server's own log (`prefix-match hit`,",
        "`prompt eval time`). A tool call takes further short passes (the arguments, then",
        '"another call?"), each reusing everything before it; the prompt-eval columns above',
        "sum all passes. Latency also includes generating the tool call (~20 tokens), which",
        "no prompt cache can save, and it swings with the load of the machine (load average",
        "above): on this shared 2-core machine other jobs competed for the cores.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-1.5b-q4")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ctx", type=int, default=4096)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    result = run(args)
    (REPORTS / "llm_prefix_cache.json").write_text(json.dumps(result, indent=2) + "\n")
    (REPORTS / "llm_prefix_cache.md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()

"""Grammar sampling in `hybrid-voice-llm` on real think-path requests.

`--grammar-sampling full` (llama-cpp-python's own way: the grammar constrains the whole
vocabulary for every token) against `lazy` (the default: the grammar judges the token
the model picked, and constrains the vocabulary only when it refuses it).

Two servers with the same model run side by side. Each round sends the think path's
own requests (its system prompt, worked examples and plan schema for a small home,
built by the agent's prompt modules; temperature 0, streamed) to both, alternating
which goes first. Per request it records the whole request time, the time from the
first to the last streamed token and the reply, which must be the same for both.

    python -m bench.llm_sampling [--model qwen2.5-coder-1.5b-q4] [--rounds 3]

Run it from Home Assistant's environment (it imports the agent's prompt modules).
Writes bench/reports/llm_sampling.{md,json}.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.local_process import console_script, free_port, serving, wait_healthy
from bench.timing_stats import compare
from custom_components.hybrid_voice.const import DEFAULT_ENTITY_BUDGET
from custom_components.hybrid_voice.engine.home_model import EntityInfo, ExposedHome
from custom_components.hybrid_voice.engine.plan import plan_schema
from custom_components.hybrid_voice.engine.prompt import build_turn_message, prefix_messages

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "bench" / "reports"
MODES = {"full": ["--grammar-sampling", "full"], "lazy": ["--grammar-sampling", "lazy"]}
TOOLS = (
    *("HassTurnOn", "HassTurnOff", "HassLightSet", "HassSetPosition", "HassSetVolume"),
    *("HassMediaPause", "HassMediaUnpause", "HassClimateSetTemperature"),
)
HOME = [
    EntityInfo("light.kitchen_light", "Kitchen Light", "light", "Kitchen", state="off"),
    EntityInfo("light.living_room_lamp", "Living Room Lamp", "light", "Living Room", state="on",
               attributes=(("brightness_pct", "60"),)),
    EntityInfo("fan.ceiling_fan", "Ceiling Fan", "fan", "Bedroom", state="on"),
    EntityInfo("cover.garage_door", "Garage Door", "cover", "Garage", state="closed"),
    EntityInfo("lock.front_door", "Front Door", "lock", "Hallway", state="unlocked"),
    EntityInfo("media_player.living_room_tv", "Living Room TV", "media_player", "Living Room",
               state="playing", attributes=(("volume_pct", "30"),)),
    EntityInfo("climate.hall_thermostat", "Hall Thermostat", "climate", "Hallway", state="heat",
               attributes=(("temperature", "20"), ("current_temperature", "19"))),
]  # fmt: skip
AREAS = sorted({entity.area for entity in HOME if entity.area})
# Each request, with the devices whose states the think path would show for it.
REQUESTS = [
    ("turn on the kitchen light", ["Kitchen Light"]),
    ("switch off the ceiling fan and lock the front door", ["Ceiling Fan", "Front Door"]),
    ("dim the living room lamp to 30 percent", ["Living Room Lamp"]),
    ("is the garage door open?", ["Garage Door"]),
    ("make it a bit warmer in the hallway", ["Hall Thermostat"]),
    ("pause the tv", ["Living Room TV"]),
]


def think_prefix(persona: str = "") -> list[dict[str, Any]]:
    """The think path's stable prefix for this home."""
    home = ExposedHome(HOME, AREAS)
    prefix, _all_listed = prefix_messages(persona, "en", home, TOOLS, DEFAULT_ENTITY_BUDGET)
    return prefix


def think_request(utterance: str, shown: list[str], persona: str = "") -> dict[str, Any]:
    """The body the think path sends for `utterance` in this home."""
    relevant = [entity for entity in HOME if entity.name in shown]
    turn = build_turn_message(utterance, relevant)
    return {
        "messages": [*think_prefix(persona), {"role": "user", "content": turn}],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "plan", "schema": plan_schema(HOME, TOOLS)},
        },
        "temperature": 0,
        "max_tokens": 96,
        "stream": True,
    }


def _events(response: Any) -> Iterator[dict[str, Any]]:
    for raw in response:
        line = raw.decode().strip()
        if line.startswith("data: ") and line != "data: [DONE]":
            yield json.loads(line[6:])


def ask(port: int, body: dict[str, Any]) -> dict[str, Any]:
    """One streamed request: its timings and its reply."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/chat/completions",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    start = time.monotonic()
    stamps: list[float] = []
    parts: list[str] = []
    with urllib.request.urlopen(request, timeout=600) as response:
        for event in _events(response):
            if event["choices"] and (text := event["choices"][0]["delta"].get("content")):
                stamps.append(time.monotonic())
                parts.append(text)
    return {
        "seconds": round(time.monotonic() - start, 3),
        "first_token_seconds": round(stamps[0] - start, 3) if stamps else None,
        "generation_seconds": round(stamps[-1] - stamps[0], 3) if stamps else 0.0,
        "reply": "".join(parts),
    }


def run(args: argparse.Namespace, log_dir: Path) -> dict[str, Any]:
    """Both grammar-sampling modes, alternately, on the same requests."""
    ports = {mode: free_port() for mode in MODES}
    names = list(MODES)
    with ExitStack() as stack:
        for mode, flags in MODES.items():
            argv = [console_script("hybrid-voice-llm"), "--uri"]
            argv += [f"tcp://127.0.0.1:{ports[mode]}", "--model", args.model]
            argv += ["--threads", str(args.threads), "--ctx", "4096", *flags]
            log_path = log_dir / f"{mode}.log"
            stack.enter_context(serving(argv, port=ports[mode], log_path=log_path))
        for mode in MODES:
            wait_healthy(ports[mode])
            ask(ports[mode], think_request(*REQUESTS[0]))  # warm-up: the prefix, the pages
        load_before = os.getloadavg()
        runs: list[dict[str, Any]] = []
        for index in range(args.rounds):
            for number, (utterance, shown) in enumerate(REQUESTS):
                shift = (index + number) % len(names)
                order = names[shift:] + names[:shift]
                body = think_request(utterance, shown)
                row = {mode: ask(ports[mode], body) for mode in order}
                runs.append({"round": index + 1, "utterance": utterance, **row})
                print(
                    f"round {index + 1} {utterance!r}: "
                    + ", ".join(f"{m} {row[m]['seconds']:.2f} s" for m in names)
                )
        load_after = os.getloadavg()
    comparisons = {
        mode: {
            "seconds": compare(
                [r[mode]["seconds"] for r in runs], [r["full"]["seconds"] for r in runs]
            ).as_dict(),
            "generation_seconds": compare(
                [r[mode]["generation_seconds"] for r in runs],
                [r["full"]["generation_seconds"] for r in runs],
            ).as_dict(),
        }
        for mode in names[1:]
    }
    return {
        "model": args.model,
        "threads": args.threads,
        "rounds": args.rounds,
        "cpu_count": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "against_full": comparisons,  # ours = lazy, theirs = full
        "same_replies": sum(len({r[m]["reply"] for m in names}) == 1 for r in runs),
        "runs": runs,
    }


def markdown(result: dict[str, Any]) -> str:
    """The markdown report."""
    n = len(result["runs"])
    against = result["against_full"]
    full = against["lazy"]
    lines = [
        "# Sampling in hybrid-voice-llm on think-path requests",
        "",
        f"Model `{result['model']}`, {result['threads']} threads, {result['cpu_count']} CPUs "
        f"(load average {result['load_average_before'][0]:.1f} before, "
        f"{result['load_average_after'][0]:.1f} after); {result['rounds']} rounds of "
        f"{len(REQUESTS)} requests per server, the order alternating request by request.",
        "",
        "| server | median request | median first to last token | request / full "
        "(ratio of medians) |",
        "|---|---|---|---|",
        f"| full | {full['seconds']['theirs']['median']:.2f} s | "
        f"{full['generation_seconds']['theirs']['median']:.2f} s | 1.00 |",
    ]
    for mode, stats in against.items():
        lines.append(
            f"| {mode} | {stats['seconds']['ours']['median']:.2f} s | "
            f"{stats['generation_seconds']['ours']['median']:.2f} s | "
            f"{stats['seconds']['ratio_of_medians']:.2f} |"
        )
    lines += [
        "",
        f"Same reply from both servers: {result['same_replies']} of {n}.",
        "",
        "| request | full | lazy | reply |",
        "|---|---|---|---|",
    ]
    for run in result["runs"][: len(REQUESTS)]:
        lines.append(
            f"| {run['utterance']} | {run['full']['seconds']:.2f} s | "
            f"{run['lazy']['seconds']:.2f} s | `{run['lazy']['reply']}` |"
        )
    return "\n".join([*lines, ""])


def main() -> None:
    """Run the benchmark and write its reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-1.5b-q4")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as log_dir:
        result = run(args, Path(log_dir))
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "llm_sampling.json").write_text(json.dumps(result, indent=2) + "\n")
    (REPORTS / "llm_sampling.md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()

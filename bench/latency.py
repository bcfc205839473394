"""Whole voice turns, timed stage by stage: `python -m bench.latency`.

Runs `script/run`'s stack (our Wyoming servers, the local model, Home Assistant with
the demo home, the virtual satellite) on free ports in a scratch run directory, and
beside it rhasspy's wyoming-faster-whisper and wyoming-piper on the same model files
(bench/reference_env.sh), with the Realtime stand-in playing the cloud for the fast-path
turn (its first delta 200 ms after a response starts). Two pipelines share the one
agent: "Hybrid Voice" (ours) and "Reference" (theirs). Each round speaks every scripted
turn at the satellite once per stack, alternating which goes first, so load that drifts
on a shared machine hits both.

Each turn is timed from the satellite's log, Home Assistant's pipeline record and its
state events (see script/local_stack/turn_report.py): wake word detected, end of speech,
STT done, route decided, first reply token, tool executed, first TTS audio at the
satellite, playback done; all relative to the last word. Reports (markdown, JSON, a
PNG chart) go to bench/reports/latency.*.

    python -m bench.latency --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.latency_report import TurnSample, write_reports
from bench.local_process import free_port
from bench.server_processes import OFFLINE, stt_contenders, tts_contenders
from script.local_stack.ha_api import HomeAssistantApi
from script.local_stack.home_setup import HomeSetup
from script.local_stack.processes import ProcessGroup, Service
from script.local_stack.settings import PIPELINE_NAME, STT_MODEL, TTS_VOICE, Ports, StackSettings
from script.local_stack.spoken_turn import async_say
from script.local_stack.stack import LocalStack, connected

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "bench" / "reports"
REFERENCE = "Reference"


@dataclass(frozen=True)
class ScriptedTurn:
    """A sentence, the state it starts from, and the path it is meant to take."""

    kind: str
    sentence: str
    before: dict[str, str] = field(default_factory=dict)  # entity -> light service


TURNS = (
    ScriptedTurn("instant", "Turn on the kitchen light.", {"light.kitchen": "turn_off"}),
    ScriptedTurn("state question", "Is the kitchen light on?", {"light.kitchen": "turn_on"}),
    ScriptedTurn("think", "Make the bedroom light brighter.", {"light.bedroom_light": "turn_off"}),
    ScriptedTurn("fast", "Tell me a joke."),
)
# The Realtime stand-in plays the cloud, answering this long after a response starts.
STANDIN_LATENCY_MS = 200.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The benchmark's options."""
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="times every turn is spoken")
    parser.add_argument("--out", type=Path, default=REPORTS, help="report directory")
    parser.add_argument(
        "--no-reference", action="store_true", help="only our stack (no rhasspy servers)"
    )
    return parser.parse_args(argv)


def reference_bin() -> Path:
    """The bin directory of rhasspy's servers (bench/reference_env.sh installs them once)."""
    done = subprocess.run(
        [str(ROOT / "bench" / "reference_env.sh")], check=True, capture_output=True, text=True
    )
    return Path(done.stdout.strip().splitlines()[-1])


def model_path(settings: StackSettings, name: str) -> Path:
    """Where the model store keeps `name` (the servers' environment resolves it)."""
    models = settings.servers_bin / "hybrid-voice-models"
    done = subprocess.run([str(models), "path", name], check=True, capture_output=True, text=True)
    return Path(done.stdout.strip())


def reference_services(settings: StackSettings, work: Path) -> list[Service]:
    """wyoming-faster-whisper and wyoming-piper on the models our servers load."""
    theirs = reference_bin()
    _, whisper = stt_contenders(
        settings.servers_bin, theirs, model_path(settings, STT_MODEL), work / "fw-data", 2
    )
    _, piper = tts_contenders(settings.servers_bin, theirs, model_path(settings, TTS_VOICE))
    services = []
    for name, contender in (("reference-stt", whisper), ("reference-tts", piper)):
        port = free_port()
        argv = [*contender.argv, "--uri", f"tcp://127.0.0.1:{port}"]
        services.append(Service(name, argv, port, settings.logs / f"{name}.log", env=OFFLINE))
    return services


async def add_reference_pipeline(
    api: HomeAssistantApi, settings: StackSettings, agent: str, services: list[Service]
) -> str:
    """Wyoming entries for the reference servers and a pipeline on them (not preferred)."""
    setup = HomeSetup(api, settings, print)
    stt = await setup.wyoming("reference-stt", services[0].port, "stt")
    tts = await setup.wyoming("reference-tts", services[1].port, "tts")
    return await setup.pipeline(stt, tts, agent, name=REFERENCE, preferred=False)


async def prepare(api: HomeAssistantApi, turn: ScriptedTurn) -> None:
    """Put the home in the state the turn starts from."""
    for entity_id, service in turn.before.items():
        await api.rest("POST", f"/api/services/light/{service}", {"entity_id": entity_id})


async def run_rounds(
    settings: StackSettings,
    pipelines: dict[str, str],
    rounds: int,
    announce: Callable[[str], None],
) -> list[TurnSample]:
    """Every turn `rounds` times on every pipeline; the samples."""
    samples: list[TurnSample] = []
    async with connected(settings) as api:
        for index in range(rounds):
            order = list(pipelines.items())
            if index % 2:
                order.reverse()
            for turn in TURNS:
                for stack, pipeline_id in order:
                    await api.call(
                        "assist_pipeline/pipeline/set_preferred", pipeline_id=pipeline_id
                    )
                    await prepare(api, turn)
                    wav = settings.run_dir / f"reply-{stack}.wav"
                    report = await async_say(api, settings, pipeline_id, turn.sentence, wav)
                    sample = TurnSample.from_report(stack, turn.kind, index, report)
                    announce(sample.summary_line())
                    samples.append(sample)
        await api.call(
            "assist_pipeline/pipeline/set_preferred", pipeline_id=pipelines[PIPELINE_NAME]
        )
    return samples


async def benchmark(args: argparse.Namespace, work: Path) -> list[TurnSample]:
    """Start both stacks, run the rounds, stop everything."""
    ports = Ports(*(free_port() for _ in range(6)))
    settings = StackSettings.from_env(
        run_dir=work / "run",
        ports=ports,
        realtime_standin=True,
        standin_latency_ms=STANDIN_LATENCY_MS,
    )
    stack = LocalStack(settings, print)
    reference = ProcessGroup(print)
    try:
        await stack.start()
        await stack.configure()
        assert stack.home is not None
        pipelines = {PIPELINE_NAME: stack.home.pipeline_id}
        if not args.no_reference:
            services = reference_services(settings, work)
            await asyncio.gather(*(asyncio.to_thread(reference.start, s) for s in services))
            async with connected(settings) as api:
                agent = stack.home.agent_entity
                pipelines[REFERENCE] = await add_reference_pipeline(api, settings, agent, services)
        return await run_rounds(settings, pipelines, args.rounds, print)
    finally:
        reference.stop_all()
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its reports."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="latency-") as work:
        samples = asyncio.run(benchmark(args, Path(work)))
    paths = write_reports(samples, args.out)
    print(json.dumps({"reports": [str(p) for p in paths]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

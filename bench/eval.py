"""Evaluate the conversation agent on datasets in the community "assist" format.

The agent runs inside Home Assistant's test harness (pytest with
pytest-homeassistant-custom-component: real HA core), on a virtual home built from each
dataset's `_fixtures.yaml` whose devices really change state when their services run.
A sentence passes when the expected changes happened, nothing else changed and, for
questions, the answer says what the dataset expects. See `bench/assist_dataset.py` for
the format and `bench/eval_session.py` for one run.

    python -m bench.eval                          # the 1.5B model, every home
    python -m bench.eval --instant-only           # HA's sentence matching alone, no model
    python -m bench.eval --model qwen2.5-coder-0.5b-q4 --files 'light*' --limit 3
    python -m bench.eval --url http://127.0.0.1:8080/v1   # an endpoint already running
    python -m bench.eval --grow 200               # every home grown to 200 entities

Homes below a `heldout` directory are reported as their own part of the set (sentences
never tuned on); a home that cannot be read or built is reported, the others still run.

Without `--url` it starts `hybrid-voice-llm` with the model from the model store.
Writes bench/reports/<name>.{md,json} (name: --report, default from the options).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.assist_dataset import DatasetError, find_homes
from bench.eval_plan import EvalPlan
from bench.eval_report import render_markdown, summarize
from bench.grow_home import grow
from bench.local_process import ROOT, running_server, wait_healthy

REPORTS = ROOT / "bench" / "reports"
SESSION = ROOT / "bench" / "eval_session.py"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="qwen2.5-coder-1.5b-q4", help="model-store name")
    parser.add_argument(
        "--dataset",
        type=Path,
        nargs="+",
        default=[ROOT / "bench" / "datasets"],
        help="homes, or directories of homes",
    )
    parser.add_argument("--files", default="", help="test files to run, e.g. 'light*,lock'")
    parser.add_argument("--limit", type=int, help="at most N sentences of each test file")
    parser.add_argument(
        "--instant-only", action="store_true", help="only HA's sentence matching, no model"
    )
    parser.add_argument(
        "--no-instant", action="store_true", help="send every sentence to the model"
    )
    parser.add_argument("--url", help="an OpenAI-compatible endpoint already running")
    parser.add_argument(
        "--threads", default="auto", help="model server threads (default auto, as it runs)"
    )
    parser.add_argument("--ctx", type=int, default=4096, help="model context in tokens")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per model request")
    parser.add_argument(
        "--grow",
        type=int,
        help="grow every home to N entities with distractors first; a 'which one' question "
        "that lists the devices a sentence is about is answered with their names",
    )
    parser.add_argument("--report", help="report name (default from the options)")
    return parser.parse_args(argv)


@contextmanager
def model_endpoint(args: argparse.Namespace) -> Iterator[str | None]:
    """The endpoint URL: none for --instant-only, --url, or a server started here."""
    if args.instant_only:
        yield None
        return
    if args.url:
        yield args.url
        return
    with (
        tempfile.TemporaryDirectory() as logs,
        running_server(
            "hybrid-voice-llm",
            "--model",
            args.model,
            "--threads",
            str(args.threads),
            "--ctx",
            str(args.ctx),
            log_dir=Path(logs),
            startup_timeout=300.0,
        ) as server,
    ):
        wait_healthy(server.port)
        yield f"http://127.0.0.1:{server.port}/v1"


def report_name(args: argparse.Namespace) -> str:
    """The report's file name: from --report, else from the options."""
    if args.report:
        return str(args.report)
    name = "eval_instant" if args.instant_only else f"eval_{args.model}"
    if args.no_instant and not args.instant_only:
        name += "_think_only"
    if args.grow:
        name += f"_grown{args.grow}"
    if args.files or args.limit:
        name += "_subset"
    return name.replace(".", "_")


def part_of(home: Path) -> str:
    """`heldout` for homes never tuned on (below a `heldout` directory), else `own`."""
    return "heldout" if "heldout" in home.parts else "own"


def grown_homes(homes: list[Path], size: int, out: Path) -> tuple[list[Path], dict[Path, str]]:
    """Every home grown to `size` entities under `out`, each keeping its part of the set."""
    grown, parts = [], {}
    for home in homes:
        try:
            target = grow(home, homes, size, out / part_of(home))
        except (DatasetError, ValueError) as err:
            print(f"HOME {home.name} not grown: {err}", file=sys.stderr)
            continue
        grown.append(target)
        parts[target] = part_of(home)
    return grown, parts


def _interrupt(_signum: int, _frame: object) -> None:
    """SIGTERM ends the run like Ctrl-C, so the model server it started is stopped too."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; print the pass rates; 0 when every home ran."""
    signal.signal(signal.SIGTERM, _interrupt)
    args = parse_args(argv)
    homes = [home for path in args.dataset for home in find_homes(path.resolve())]
    parts = {home: part_of(home) for home in homes}
    files = [item.strip() for item in args.files.split(",") if item.strip()]
    with tempfile.TemporaryDirectory() as grown_dir, model_endpoint(args) as url:
        if args.grow:
            homes, parts = grown_homes(homes, args.grow, Path(grown_dir))
        plan = EvalPlan(
            homes=homes,
            parts=parts,
            model=args.model,
            url=url,
            files=files,
            limit=args.limit,
            instant=not args.no_instant,
            timeout=args.timeout,
            answer_choices=bool(args.grow),
        )
        started = time.monotonic()
        exit_code = pytest.main(
            [str(SESSION), "-q", "-s", "-p", "no:cacheprovider", "--rootdir", str(ROOT)],
            plugins=[plan],
        )
        wall = time.monotonic() - started
    for error in plan.errors:
        print(error, file=sys.stderr)
    if not plan.results:
        print("no sentence ran", file=sys.stderr)
        return 1
    summary = {**summarize(plan.results), "home_errors": plan.home_errors}
    meta = {
        "command": "python -m bench.eval " + " ".join(argv if argv is not None else sys.argv[1:]),
        "model": "none (instant tier only)" if url is None else args.model,
        "instant tier": "on" if plan.instant else "off",
        "homes": ", ".join(f"{home.name} ({parts[home]})" for home in homes),
        "grown to": f"{args.grow} entities" if args.grow else "no (each home at its own size)",
        "subset": f"files {files or 'all'}, limit {args.limit or 'none'} per file",
        "machine": f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end",
        "wall time": f"{wall:.0f} s",
        "harness errors": len(plan.errors),
        "homes that could not run": len(plan.home_errors),
    }
    REPORTS.mkdir(parents=True, exist_ok=True)
    name = report_name(args)
    (REPORTS / f"{name}.json").write_text(
        json.dumps({"meta": meta, **summary}, indent=2, ensure_ascii=False) + "\n"
    )
    (REPORTS / f"{name}.md").write_text(render_markdown(summary, meta))
    for part, row in summary["parts"].items():
        print(f"{part}: {row['passed']}/{row['sentences']} pass ({row['pass_rate']:.1%})")
    overall = summary["overall"]
    print(
        f"{overall['passed']}/{overall['sentences']} pass ({overall['pass_rate']:.1%}); "
        f"report: bench/reports/{name}.md",
    )
    return 0 if exit_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

"""The markdown report of bench/servers.py, rendered from its JSON report."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from bench.servers_findings import METHOD, stt_time, tts_time
from bench.wer import word_errors


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _verdict(value: float | None, target: float) -> str:
    if value is None:
        return "n/a"
    return "yes" if value <= target else f"**no** ({value / target:.2f}x the target)"


def _comparison_row(name: str, comparison: dict[str, Any], target: float | None) -> str:
    ratio = comparison["ratio_of_medians"]
    met = _verdict(ratio, target) if target is not None else ""
    return (
        f"| {name} | {_ms(comparison['ours']['median'])} | {_ms(comparison['theirs']['median'])} "
        f"| {ratio:.2f} (paired {comparison['median_paired_ratio']:.2f}) "
        f"| {'' if target is None else f'<= {target}'} | {met} |"
    )


def _summary(report: dict[str, Any]) -> list[str]:
    targets = report["targets"]
    lines = [
        "| metric | ours | theirs | ours/theirs (median) | target | met |",
        "|---|---|---|---|---|---|",
    ]
    stt, tts = report.get("stt"), report.get("tts")
    for index, (name, scenario) in enumerate((stt or {}).get("scenarios", {}).items()):
        judged = index == 0  # the targets are judged on Home Assistant's default
        lines.append(
            _comparison_row(
                f"STT audio-stop -> transcript, real-time stream, {name}",
                scenario["latency"],
                targets["stt_latency_ratio"] if judged else None,
            )
        )
        wer = scenario["wer"]
        better = wer["ours"]["rate"] <= wer["theirs"]["rate"]
        lines.append(
            f"| STT word error rate, {name} ({wer['ours']['words']} words) "
            f"| {wer['ours']['rate']:.1%} | {wer['theirs']['rate']:.1%} | "
            f"| {'no worse' if judged else ''} | {'yes' if better else '**no**'} |"
        )
    if tts:
        lines += _tts_rows(tts, targets)
    for kind, data in (("STT", stt), ("TTS", tts)):
        if not data:
            continue
        ours, theirs = (data["servers"][side]["memory_mb"]["VmHWM"] for side in ("ours", "theirs"))
        memory = {"ours": ours, "theirs": theirs}
        target = targets[f"{kind.lower()}_peak_rss_mb"]
        lines.append(
            f"| {kind} server peak RSS (VmHWM) | {ours:.0f} MB | {theirs:.0f} MB "
            f"| {memory['ours'] / memory['theirs']:.2f} | ours < {target:.0f} MB "
            f"| {_verdict(memory['ours'], target)} |"
        )
        mine, other = data["concurrent"]["ours"], data["concurrent"]["theirs"]
        lines.append(
            f"| {kind}: {mine['clients']} clients at once, succeeded "
            f"| {mine['succeeded']} ({mine['requests_per_second']:.2f} req/s) "
            f"| {other['succeeded']} ({other['requests_per_second']:.2f} req/s) "
            f"| | all succeed | {'yes' if mine['succeeded'] == mine['clients'] else '**no**'} |"
        )
    return lines


def _tts_rows(tts: dict[str, Any], targets: dict[str, float] | None) -> list[str]:
    """Time and throughput rows of one TTS pair; judged against `targets` unless None."""
    lines = []
    for mode, label in (("synthesize", "one synthesize"), ("stream", "text stream")):
        data = tts["modes"][mode]
        for metric, name in (("first_audio", "first audio"), ("total", "total")):
            target = targets[f"tts_{metric}_ratio"] if targets else None
            lines.append(_comparison_row(f"TTS {name}, {label}", data[metric], target))
    mine, other = tts["concurrent"]["ours"], tts["concurrent"]["theirs"]
    ratio = mine["requests_per_second"] / other["requests_per_second"]
    row = (
        f"| TTS throughput, {mine['clients']} clients at once "
        f"| {mine['requests_per_second']:.2f} req/s | {other['requests_per_second']:.2f} req/s "
        f"| {ratio:.2f} |"
    )
    if targets:
        wanted = targets["tts_throughput_ratio"]
        met = "yes" if ratio >= wanted else f"**no** ({ratio / wanted:.2f}x the target)"
        row += f" >= {wanted} | {met} |"
    else:
        row += " | |"
    return [*lines, row]


def _tts_budgets(tts: dict[str, Any]) -> list[str]:
    """The TTS pair again with both servers pinned to the same CPUs."""
    lines: list[str] = []
    for cpus, pair in tts.get("budgets", {}).items():
        threads = {side: server["threads"] for side, server in pair["servers"].items()}
        lines += [
            f"### Text-to-speech at an equal budget: both pinned to {cpus} CPU(s)",
            "",
            f"Ours runs with `--threads {cpus}`; process threads at the end: ours "
            f"{threads['ours']}, theirs {threads['theirs']}.",
            "",
            "| metric | ours | theirs | ours/theirs (median) | target | met |",
            "|---|---|---|---|---|---|",
            *_tts_rows(pair, None),
            "",
        ]
    return lines


def _stt_details(stt: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for name, scenario in stt["scenarios"].items():
        lines += [*_stt_scenario(name, scenario, stt["corpus"]), ""]
    lines += ["Reference texts:", "", *(f"- {c['name']}: {c['text']}" for c in stt["corpus"])]
    lines += ["", "Clients at once (whole clips sent as fast as possible):", ""]
    for side, crowd in stt["concurrent"].items():
        latency = crowd["latency"]
        lines.append(
            f"- {side}: {crowd['succeeded']}/{crowd['clients']} in {crowd['wall_seconds']:.1f} s, "
            f"{crowd['requests_per_second']:.2f} requests/s, WER {crowd['wer']['rate']:.1%}"
            + (
                f", latency median {_ms(latency['median'])}, max {_ms(latency['maximum'])}"
                if latency
                else ""
            )
        )
        lines += [f"  - {error}" for error in crowd["errors"]]
    return lines


def _stt_scenario(name: str, stt: dict[str, Any], corpus: list[dict[str, Any]]) -> list[str]:
    lines = [
        f"### Speech-to-text per clip, {name} (medians over rounds)",
        "",
        "| clip | seconds | ours | theirs | ours heard | theirs heard |",
        "|---|---|---|---|---|---|",
    ]
    by_clip: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for side in ("ours", "theirs"):
        for run in stt["runs"][side]:
            by_clip[run["clip"]][side].append(run)
    for clip in corpus:
        runs = by_clip[clip["name"]]
        if not runs["ours"] or not runs["theirs"]:
            continue
        cells = [f"| {clip['name']} | {clip['seconds']:.1f} "]
        for side in ("ours", "theirs"):
            cells.append(f"| {_ms(statistics.median(r['latency'] for r in runs[side]))} ")
        for side in ("ours", "theirs"):
            heard = runs[side][0]["text"].strip()
            errors = word_errors(clip["text"], heard).errors
            cells.append(f"| {heard}" + (f" ({errors} errors)" if errors else "") + " ")
        lines.append("".join(cells) + "|")
    if stt["errors"]:
        lines += ["", "Failed runs:", ""] + [f"- {e}" for e in stt["errors"]]
    lines += ["", "Our server's own log for these runs:", "", "```", *_flat(stt["ours_log"]), "```"]
    return lines


def _flat(data: dict[str, Any], prefix: str = "") -> list[str]:
    lines = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines += _flat(value, f"{prefix}{key}.")
        elif isinstance(value, float):
            lines.append(f"{prefix}{key}: {value:.3f}")
        else:
            lines.append(f"{prefix}{key}: {value}")
    return lines


def _tts_details(tts: dict[str, Any]) -> list[str]:
    lines = ["### Text-to-speech", "", f'Reply: "{tts["reply"]}"', ""]
    for mode, data in tts["modes"].items():
        audio = data["audio_seconds"]
        lines.append(
            f"- {mode}: audio made ours {audio['ours']:.2f} s, theirs {audio['theirs']:.2f} s; "
            f"failed runs: {len(data['errors'])}"
        )
    if tts.get("server_first_audio_ms"):
        first = tts["server_first_audio_ms"]
        lines.append(
            f"- our server's own log: first audio ready after {first['median']:.0f} ms (median)"
        )
    lines += ["", "Voice-model time per piece, in this process (median of 5):", ""]
    for label, pieces in tts["profile"].items():
        total = sum(p["seconds"] for p in pieces)
        lines.append(f"- {label}: total {_ms(total)}")
        lines += [
            f'  - {_ms(p["seconds"])} for {p["audio_seconds"]:.2f} s of audio: "{p["piece"]}"'
            for p in pieces
        ]
    return lines


def _compat(report: dict[str, Any]) -> list[str]:
    lines = ["## wyoming-bench against both servers", ""]
    for kind in ("stt", "tts"):
        runs = report.get(kind, {}).get("compat", {})
        for side, run in runs.items():
            lines += [
                f"### {kind.upper()}, {side}: exit code {run['exit_code']}",
                "",
                f"`{run['command']}`",
                "",
                "```",
                run["output"].strip(),
                "```",
                "",
            ]
    return lines


def render(report: dict[str, Any]) -> str:
    """The markdown report from the JSON one."""
    machine = report["machine"]
    lines = [
        "# Wyoming servers: ours against rhasspy's",
        "",
        f"`{report['command'].strip()}`, {machine['cpus']} CPUs, {machine['platform']}; "
        "load average "
        f"{' / '.join(f'{v:.2f}' for v in machine['load_before'])} before, "
        f"{' / '.join(f'{v:.2f}' for v in machine['load_after'])} after; "
        f"{report['duration_seconds']:.0f} s.",
        "",
        "Runs alternate between the servers (ours, theirs, ours, ...) on the same inputs; "
        "ratios are ours/theirs of the medians (the median of per-pair ratios in brackets).",
        "",
        *_summary(report),
        "",
    ]
    for kind in ("stt", "tts"):
        if kind in report:
            lines += ["## Servers", ""] if kind == "stt" or "stt" not in report else []
            lines += [
                f"- {side}: `{server['command']}`"
                for side, server in report[kind]["servers"].items()
            ]
    lines += ["", METHOD, ""]
    if "stt" in report:
        lines += [*stt_time(report["stt"]), "", *_stt_details(report["stt"]), ""]
    if "tts" in report:
        lines += [*_tts_budgets(report["tts"]), *tts_time(report["tts"]), ""]
        lines += [*_tts_details(report["tts"]), ""]
    lines += _compat(report)
    return "\n".join(lines).rstrip() + "\n"

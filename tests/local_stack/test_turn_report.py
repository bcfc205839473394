"""The `--say` report: stages, route and state changes read from the three witnesses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from script.local_stack.turn_report import (
    END_OF_SPEECH,
    FIRST_AUDIO,
    PLAYBACK_DONE,
    STT_DONE,
    TOOL,
    WAKE,
    StateChange,
    TurnReport,
    parse_log_time,
    read_agent_route,
    read_pipeline_events,
    read_satellite_log,
    route_of,
)

SATELLITE_LOG = """\
2026-12-02 18:40:00,100 INFO satellite.core: Home Assistant connected from ('127.0.0.1', 1)
2026-12-02 18:40:01,000 INFO satellite.core: wake word 'Okay Nabu' detected: streaming
2026-12-02 18:40:03,500 INFO satellite.core: heard: "Turn on the kitchen light."
2026-12-02 18:40:03,900 INFO satellite.core: reply: "Turned on the light"
2026-12-02 18:40:04,000 INFO satellite.core: playing reply
2026-12-02 18:40:05,250 INFO satellite.core: reply played
2026-12-02 18:40:09,000 INFO satellite.core: wake word 'Okay Nabu' detected: streaming
not a log line
""".splitlines()


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def events(base: float, response: Mapping[str, Any], *extra: Mapping[str, Any]) -> list[Any]:
    return [
        {"type": "run-start", "timestamp": iso(base), "data": {}},
        {"type": "stt-vad-end", "timestamp": iso(base + 1.0), "data": {}},
        {"type": "stt-end", "timestamp": iso(base + 1.2), "data": {"stt_output": {"text": "hi"}}},
        *extra,
        {
            "type": "intent-end",
            "timestamp": iso(base + 2.0),
            "data": {"processed_locally": False, "intent_output": {"response": response}},
        },
        {"type": "tts-start", "timestamp": iso(base + 2.01), "data": {}},
    ]


INSTANT: dict[str, Any] = {
    "response_type": "action_done",
    "speech": {"plain": {"speech": "Turned on the light"}},
    "data": {"success": [{"id": "light.kitchen"}], "failed": [], "targets": []},
}
THINK: dict[str, Any] = {
    "response_type": "action_done",
    "speech": {"plain": {"speech": "Done."}},
    "data": {"success": [], "failed": [], "targets": []},
}


def test_the_satellite_log_gives_the_first_turn_only() -> None:
    log = read_satellite_log(SATELLITE_LOG)
    assert log.heard == "Turn on the kitchen light."
    assert log.reply == "Turned on the light"
    assert log.marks[WAKE] == parse_log_time("2026-12-02 18:40:01,000")
    assert log.marks[PLAYBACK_DONE] - log.marks[FIRST_AUDIO] == 1.25


def test_an_error_from_home_assistant_ends_the_turn_and_is_explained() -> None:
    line = "2026-12-02 18:40:01,000 WARNING satellite.core: Home Assistant: No text recognized"
    log = read_satellite_log([line + " (stt-no-text-recognized)"])
    assert log.error == "No text recognized (stt-no-text-recognized)"
    report = TurnReport("", 0.0, log, read_pipeline_events([]), [])
    assert any("nothing was heard after the wake word" in line for line in report.lines())


def test_pipeline_events_give_transcript_reply_and_stage_times() -> None:
    record = read_pipeline_events(events(1000.0, INSTANT))
    assert record.transcript == "hi"
    assert record.reply == "Turned on the light"
    assert record.marks[END_OF_SPEECH] == 1001.0
    assert round(record.marks[STT_DONE], 3) == 1001.2


def test_a_matched_sentence_is_the_instant_tier_and_an_empty_result_the_think_path() -> None:
    assert route_of(read_pipeline_events(events(0.0, INSTANT)).intent_end)[0] == "instant"
    assert route_of(read_pipeline_events(events(0.0, THINK)).intent_end)[0] == "think"
    assert route_of({"processed_locally": True})[0] == "instant"
    assert route_of(None)[0] == "none"


def test_a_tool_result_in_the_chat_log_marks_the_tool_stage() -> None:
    progress = {
        "type": "intent-progress",
        "timestamp": iso(1001.5),
        "data": {"chat_log_delta": {"role": "tool_result", "tool_result": {"ok": True}}},
    }
    record = read_pipeline_events(events(1000.0, THINK, progress))
    assert record.marks[TOOL] == 1001.5


def test_the_report_lists_changes_and_times_after_the_last_word() -> None:
    report = TurnReport(
        said="turn on the kitchen light",
        last_word=1000.5,
        satellite=read_satellite_log([]),
        pipeline=read_pipeline_events(events(1000.0, INSTANT)),
        changes=[StateChange("light.kitchen", "off", "on", 1001.9)],
        reply_wav="reply.wav",
    )
    text = "\n".join(report.lines())
    assert "light.kitchen: off -> on" in text
    assert "route:      instant" in text
    assert "reply:      'Turned on the light'" in text
    times = report.stage_times()
    assert times[END_OF_SPEECH] == 0.5
    assert round(times[TOOL], 2) == 1.4
    assert "reply audio: reply.wav" in text


def test_a_turn_that_changed_nothing_says_so() -> None:
    report = TurnReport("", 0.0, read_satellite_log([]), read_pipeline_events([]), [])
    text = "\n".join(report.lines())
    assert "changed:    nothing" in text
    assert "transcript: (none)" in text


def test_the_agents_logged_route_wins_over_the_guess() -> None:
    lines = [
        "2026-12-02 20:00:08.417 DEBUG (MainThread) [custom_components.hybrid_voice] "
        "Conversation 01ABC -> fast (asks for a joke)",
        "... Conversation 01XYZ -> think (names bedroom)",
    ]
    assert read_agent_route(lines, "01ABC") == ("fast", "the agent's router: asks for a joke")
    assert read_agent_route(lines, "01NOPE") is None
    report = TurnReport(
        "", 0.0, read_satellite_log([]), read_pipeline_events([]), [], None, ("fast", "joke")
    )
    assert "route:      fast (joke)" in report.lines()

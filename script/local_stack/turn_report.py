"""What one spoken turn did, from three witnesses.

The witnesses are the satellite's log, Home Assistant's pipeline debug record and its
state-change events. Pure: no I/O, no Home Assistant.

Every time is seconds since the epoch; the report shows them relative to the last word
of the spoken command (the end of the audio that carried speech).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

_AGENT_ROUTE = re.compile(r"Conversation (\S+) -> (\w+) \((.*)\)")
_LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) \w+ [\w.]+: (.*)$")

# Stage names in the order of a turn (the benchmark uses the same names).
WAKE = "wake word detected"
END_OF_SPEECH = "end of speech (HA)"
STT_DONE = "STT done"
ROUTE = "route decided"
FIRST_TOKEN = "first reply token"
TOOL = "tool executed"
REPLY_DONE = "reply text done"
TTS_START = "TTS started"
FIRST_AUDIO = "first TTS audio at satellite"
PLAYBACK_DONE = "playback done"
STAGES = (
    WAKE,
    END_OF_SPEECH,
    STT_DONE,
    ROUTE,
    FIRST_TOKEN,
    TOOL,
    REPLY_DONE,
    TTS_START,
    FIRST_AUDIO,
    PLAYBACK_DONE,
)


@dataclass(frozen=True)
class StateChange:
    """An entity's state as the turn changed it."""

    entity_id: str
    old: str
    new: str
    at: float


@dataclass
class SatelliteLog:
    """What the satellite logged during the turn."""

    marks: dict[str, float] = field(default_factory=dict)
    heard: str | None = None
    reply: str | None = None
    error: str | None = None


def parse_log_time(stamp: str) -> float:
    """A log line's local time ("2026-12-02 18:40:00,123") as epoch seconds."""
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()


def parse_iso_time(stamp: str) -> float:
    """Home Assistant's ISO time as epoch seconds."""
    return datetime.fromisoformat(stamp).timestamp()


def read_satellite_log(lines: Iterable[str]) -> SatelliteLog:
    """The first wake word, transcript, reply, playback start/end and error of a turn."""
    log = SatelliteLog()
    for line in lines:
        match = _LOG_LINE.match(line.strip())
        if match is None:
            continue
        at, message = parse_log_time(match[1]), match[2]
        if message.startswith("wake word '") and " detected" in message:
            log.marks.setdefault(WAKE, at)
        elif message.startswith('heard: "') and log.heard is None:
            log.heard = message[len('heard: "') : -1]
        elif message.startswith('reply: "') and log.reply is None:
            log.reply = message[len('reply: "') : -1]
        elif message == "playing reply":
            log.marks.setdefault(FIRST_AUDIO, at)
        elif message in ("reply played", "reply cut short"):
            log.marks.setdefault(PLAYBACK_DONE, at)
        elif message.startswith("Home Assistant: ") and log.error is None:
            log.error = message.removeprefix("Home Assistant: ")
    return log


@dataclass
class PipelineRecord:
    """Home Assistant's record of the pipeline run."""

    marks: dict[str, float] = field(default_factory=dict)
    transcript: str | None = None
    reply: str | None = None
    intent_end: Mapping[str, Any] | None = None
    conversation_id: str | None = None
    error: str | None = None


def _delta(event: Mapping[str, Any]) -> Mapping[str, Any]:
    data = event.get("data") or {}
    delta = data.get("chat_log_delta") or {}
    return delta if isinstance(delta, Mapping) else {}


def read_pipeline_events(events: Sequence[Mapping[str, Any]]) -> PipelineRecord:
    """Stage times and results from `assist_pipeline/pipeline_debug/get` events."""
    record = PipelineRecord()
    for event in events:
        kind = event.get("type")
        at = parse_iso_time(str(event["timestamp"]))
        data = event.get("data") or {}
        if kind == "stt-vad-end":
            record.marks.setdefault(END_OF_SPEECH, at)
        elif kind == "stt-end":
            record.marks.setdefault(STT_DONE, at)
            record.transcript = (data.get("stt_output") or {}).get("text")
        elif kind == "intent-progress":
            record.marks.setdefault(ROUTE, at)
            delta = _delta(event)
            if delta.get("content"):
                record.marks.setdefault(FIRST_TOKEN, at)
            if delta.get("tool_result") is not None or delta.get("role") == "tool_result":
                record.marks.setdefault(TOOL, at)
        elif kind == "intent-end":
            record.marks.setdefault(ROUTE, at)
            record.marks.setdefault(FIRST_TOKEN, at)
            record.marks[REPLY_DONE] = at
            record.intent_end = data
            record.conversation_id = (data.get("intent_output") or {}).get("conversation_id")
            response = (data.get("intent_output") or {}).get("response") or {}
            record.reply = ((response.get("speech") or {}).get("plain") or {}).get("speech")
        elif kind == "tts-start":
            record.marks.setdefault(TTS_START, at)
        elif kind == "error":
            record.error = f"{data.get('message')} ({data.get('code')})"
    return record


def read_agent_route(lines: Iterable[str], conversation_id: str | None) -> tuple[str, str] | None:
    """The route the agent logged for the conversation, as (path, reason).

    The agent logs it (at debug level) when it has a cloud path to choose from.
    """
    for line in lines:
        match = _AGENT_ROUTE.search(line)
        if match and match[1] == conversation_id:
            return match[2], f"the agent's router: {match[3]}"
    return None


def route_of(intent_end: Mapping[str, Any] | None) -> tuple[str, str]:
    """Which path answered, and why, from the conversation result."""
    if intent_end is None:
        return "none", "the pipeline did not reach the conversation agent"
    if intent_end.get("processed_locally"):
        return "instant", "the pipeline's own sentence matching handled it"
    response = (intent_end.get("intent_output") or {}).get("response") or {}
    data = response.get("data") or {}
    if response.get("response_type") == "error":
        return "error", f"the agent answered with an error ({data.get('code')})"
    if data.get("success") or data.get("failed") or response.get("response_type") == "query_answer":
        return "instant", "Home Assistant's sentence matching recognised it (instant tier)"
    return "think", "no sentence matched exactly; the local model planned the answer"


@dataclass
class TurnReport:
    """Everything `--say` prints about one turn."""

    said: str
    last_word: float
    satellite: SatelliteLog
    pipeline: PipelineRecord
    changes: list[StateChange]
    reply_wav: str | None = None
    agent_route: tuple[str, str] | None = None

    def stage_times(self) -> dict[str, float]:
        """Stage -> seconds after the last word, for the stages that happened."""
        marks = {**self.pipeline.marks, **self.satellite.marks}
        if self.changes:
            marks.setdefault(TOOL, min(change.at for change in self.changes))
        return {name: marks[name] - self.last_word for name in STAGES if name in marks}

    def lines(self) -> list[str]:
        """The printed report."""
        route, reason = self.agent_route or route_of(self.pipeline.intent_end)
        transcript = self.pipeline.transcript or self.satellite.heard
        reply = self.pipeline.reply or self.satellite.reply
        out = [
            f"said:       {self.said!r}",
            f"transcript: {transcript!r}" if transcript is not None else "transcript: (none)",
            f"route:      {route} ({reason})",
            f"reply:      {reply!r}" if reply is not None else "reply:      (none)",
        ]
        if error := self.pipeline.error or self.satellite.error:
            out.append(f"pipeline:   {error}")
            if "stt-no-text-recognized" in error:
                out.append(
                    "note:       nothing was heard after the wake word; Home Assistant ends "
                    "such a turn itself and the satellite plays its error tone"
                )
        out.append("changed:" if self.changes else "changed:    nothing")
        out.extend(f"  {c.entity_id}: {c.old} -> {c.new}" for c in self.changes)
        out.append("timings (seconds after the last word of the command):")
        times = self.stage_times()
        out.extend(f"  {name:<30} {at:+7.2f}" for name, at in times.items())
        if END_OF_SPEECH in times and FIRST_AUDIO in times:
            gap = times[FIRST_AUDIO] - times[END_OF_SPEECH]
            out.append(f"  end of speech -> first audio  {gap:7.2f}")
        if self.reply_wav:
            out.append(f"reply audio: {self.reply_wav}")
        return out

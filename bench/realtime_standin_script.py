"""What the Realtime stand-in answers: scripted replies, function calls and faults.

A script maps words in the user's last message to a reply: text (streamed word by word)
or a function call. After a tool result (`function_call_output`) the stand-in answers
with `after_call`, where `{output}` is replaced by that result. Script files are JSON:

    {"default": "...", "after_call": "The tool said {output}.",
     "replies": [{"when": "joke", "text": "..."},
                 {"when": "garage", "call": {"name": "hand_off_to_home",
                                             "arguments": {"reason": "home"}}}]}
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

DEFAULT_TEXT = "This is the stand-in answering."
DEFAULT_AFTER_CALL = "The tool answered: {output}"


class Fault(StrEnum):
    """Failures the stand-in can be told to produce."""

    # At the WebSocket handshake (HTTP status instead of 101).
    AUTH = "401"
    TOO_MANY_REQUESTS = "429"
    SERVER_ERROR = "500"
    # During the next response.
    RATE_LIMIT = "rate_limit_exceeded"
    RESPONSE_SERVER_ERROR = "server_error"
    STALL = "stall"
    DROP = "drop"
    SESSION_EXPIRED = "session_expired"
    # An event of an unknown type and a frame that is not JSON, then the reply.
    NOISE = "noise"
    # A frame of more than a MiB (larger than any real event) instead of the reply.
    OVERSIZED = "oversized"


HANDSHAKE_FAULTS = frozenset({Fault.AUTH, Fault.TOO_MANY_REQUESTS, Fault.SERVER_ERROR})


@dataclass(frozen=True)
class FunctionCall:
    """A call the model makes instead of answering."""

    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ScriptedReply:
    """Reply `text` or make `call` when the user's message contains `when`."""

    when: str
    text: str | None = None
    call: FunctionCall | None = None


@dataclass
class StandinScript:
    """The replies of the stand-in, first match wins."""

    replies: list[ScriptedReply] = field(default_factory=list)
    default: str = DEFAULT_TEXT
    after_call: str = DEFAULT_AFTER_CALL

    def reply_to(self, items: list[dict[str, Any]]) -> str | FunctionCall:
        """The reply to a conversation (the items of one response's input)."""
        last = items[-1] if items else {}
        if last.get("type") == "function_call_output":
            return self.after_call.replace("{output}", str(last.get("output", "")))
        text = user_text(last).casefold()
        for reply in self.replies:
            if reply.when.casefold() in text:
                return reply.call if reply.call is not None else (reply.text or "")
        return self.default

    @classmethod
    def load(cls, path: Path) -> StandinScript:
        """A script from a JSON file (format in the module docstring)."""
        raw = json.loads(path.read_text())
        replies = [
            ScriptedReply(
                when=str(entry["when"]),
                text=entry.get("text"),
                call=FunctionCall(entry["call"]["name"], dict(entry["call"]["arguments"]))
                if "call" in entry
                else None,
            )
            for entry in raw.get("replies", [])
        ]
        return cls(
            replies=replies,
            default=str(raw.get("default", DEFAULT_TEXT)),
            after_call=str(raw.get("after_call", DEFAULT_AFTER_CALL)),
        )


def user_text(item: dict[str, Any]) -> str:
    """The text of a message item (its `input_text` / `text` parts joined)."""
    parts = item.get("content") or []
    if not isinstance(parts, list):
        return ""
    return " ".join(
        str(part.get("text", "")) for part in parts if isinstance(part, dict) and "text" in part
    )


class FaultQueue:
    """Faults waiting to happen: each injected fault fires once, in order per kind."""

    def __init__(self) -> None:
        self._pending: Counter[Fault] = Counter()

    def inject(self, fault: Fault, times: int = 1) -> None:
        """The next `times` handshakes (or responses) fail with `fault`."""
        self._pending[fault] += times

    def take(self, candidates: frozenset[Fault] | set[Fault]) -> Fault | None:
        """Consume one pending fault among `candidates`, if any."""
        for fault in Fault:
            if fault in candidates and self._pending[fault] > 0:
                self._pending[fault] -= 1
                return fault
        return None

    def clear(self) -> None:
        """Forget every pending fault."""
        self._pending.clear()


def word_deltas(text: str) -> list[str]:
    """The text in deltas of one word each (with the space before it)."""
    words = text.split(" ")
    return [words[0]] + [f" {word}" for word in words[1:]]


def token_estimate(text: str) -> int:
    """A rough token count (4 characters a token), as the stand-in bills."""
    return max(1, len(text) // 4)

"""The privacy boundary: the one place that builds what the house sends to the cloud.

`build_cloud_request` makes both parts: the session settings (instructions, the only
tool `hand_off_to_home`, text output) and one turn's `response.create` (the user's
words and the earlier fast-path turns of the same conversation, out of band so nothing
piles up on the server). It is given no entity, area, state or list, only words, and
it checks those words against the home's vocabulary: a request whose words name
something of the home is refused (`HomeNameInRequest`) and the turn stays local; an
earlier turn that names something of the home is left out of the history. Think-path
turns never reach it: the caller keeps only fast-path turns as history.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from custom_components.hybrid_voice.engine.home_model import ExposedHome

HAND_OFF_TOOL = "hand_off_to_home"
HAND_OFF_DESCRIPTION = (
    "Hand the request to the home's own assistant. Call this whenever the user wants to "
    "control or asks about their home, its devices, rooms, lists, people or anything "
    "else only the home knows."
)
DEFAULT_FAST_INSTRUCTIONS = (
    "You are a friendly voice assistant. Answer in one or two short spoken sentences of "
    "plain text, without lists or markup. You know nothing about the user's home; for "
    f"anything about it, call {HAND_OFF_TOOL}."
)
# Earlier fast-path turns sent with a request (user and assistant message each).
MAX_HISTORY_TURNS = 3
DEFAULT_MAX_OUTPUT_TOKENS = 256
_WORDS = re.compile(r"[^\w]+")


class HomeNameInRequest(Exception):
    """The words to send name something of the home: the turn stays local."""


@dataclass(frozen=True)
class FastTurn:
    """One earlier fast-path exchange of a conversation."""

    user: str
    assistant: str


@dataclass(frozen=True)
class PrivateWords:
    """Every id, name and list item of the home: words that must not leave the house.

    Stored normalised: lower-case words separated by single spaces.
    """

    phrases: frozenset[str]

    @classmethod
    def of(cls, home: ExposedHome, places: Iterable[str] = ()) -> PrivateWords:
        """Entity ids, names, aliases and to-do items of `home`, its areas and `places`.

        `places` are the area and floor names and aliases.
        """
        words: list[str] = [*home.areas, *places]
        for entity in home.entities:
            words += [entity.entity_id, entity.entity_id.partition(".")[2], *entity.names]
            words += entity.items
            if entity.area:
                words.append(entity.area)
        return cls(frozenset(p for p in map(_normalise, words) if len(p) >= 2))

    def named_in(self, text: str) -> bool:
        """Whether `text` contains one of the phrases as whole words."""
        padded = f" {_normalise(text)} "
        return any(f" {phrase} " in padded for phrase in self.phrases)


@dataclass(frozen=True)
class CloudRequest:
    """What leaves the house.

    `session` goes into `session.update`, `response` (None when no turn was given) into
    `response.create`.
    """

    session: dict[str, Any]
    response: dict[str, Any] | None


def build_cloud_request(
    instructions: str,
    vocabulary: PrivateWords,
    *,
    text: str | None = None,
    history: Sequence[FastTurn] = (),
    max_output_tokens: int = DEFAULT_MAX_OUTPUT_TOKENS,
) -> CloudRequest:
    """Everything the fast path sends, or `HomeNameInRequest` if it would name the home."""
    if vocabulary.named_in(instructions):
        raise HomeNameInRequest("the fast-path instructions name something of the home")
    session = {
        "type": "realtime",
        "output_modalities": ["text"],
        "instructions": instructions,
        "tools": [
            {
                "type": "function",
                "name": HAND_OFF_TOOL,
                "description": HAND_OFF_DESCRIPTION,
                "parameters": {"type": "object", "properties": {}, "additionalProperties": False},
            }
        ],
        "tool_choice": "auto",
        "max_output_tokens": max_output_tokens,
    }
    if text is None:
        return CloudRequest(session, None)
    if vocabulary.named_in(text):
        raise HomeNameInRequest("the request names something of the home")
    kept = [
        turn
        for turn in history
        if not vocabulary.named_in(turn.user) and not vocabulary.named_in(turn.assistant)
    ][-MAX_HISTORY_TURNS:]
    items: list[dict[str, Any]] = []
    for turn in kept:
        items += [
            _message("user", "input_text", turn.user),
            _message("assistant", "output_text", turn.assistant),
        ]
    items.append(_message("user", "input_text", text))
    return CloudRequest(session, {"conversation": "none", "input": items})


def _message(role: str, part: str, text: str) -> dict[str, Any]:
    return {"type": "message", "role": role, "content": [{"type": part, "text": text}]}


def _normalise(text: str) -> str:
    return " ".join(_WORDS.sub(" ", text.casefold()).replace("_", " ").split())

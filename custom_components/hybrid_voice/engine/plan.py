"""The plan the model writes: its schema, its text, its streamed answer.

The plan the model writes, in one place: its JSON schema, the `"verb Device value"`
text of an action written and split, and the answer read while it streams.

    ["turn_on Kitchen Light", "set_brightness Hall Light -20"]
    {"answer": "Yes, the front door is locked."}

An action is one string, verb then device then value: on a small CPU every generated
token costs a forward pass, and this form takes 6 tokens where an object with "name"
and "action" keys takes 15. The server turns the schema into a grammar that lists
every verb a device really has, so the model can only write a device that exists with
a verb of its kind. Values are a number, a signed relative change ("+20", "-1") worked
out from the current state by `plan_reader.PlanReader`, text (a colour, a new list item), or
one of the open items of a to-do list. A verb of another kind of device that means the
same ("start" a fan) is allowed too: the model often writes the verb before it has
chosen the device, and the reader swaps in the device's own verb.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from .actions import Action, spoken_verbs
from .home_model import EntityInfo

MAX_ACTIONS = 5
# Patterns avoid backslash escapes: llama.cpp's schema-to-grammar converter copies them
# into the grammar, which then fails to parse. A special character goes in a class.
NUMBER_VALUE = "[+-]?[0-9]{1,3}([.][0-9])?"
TEXT_VALUE = '[^"]{1,30}'
_SPECIAL = re.compile(r"[.$*+?(){}|/\[\]\\^\"]")
# A reply that is neither a plan nor words: JSON or a tool call written as text.
_NOT_WORDS = re.compile(r"functions\.\w+|^\s*[\[{]|\"name\"\s*:")


class PlanError(Exception):
    """The reply cannot be carried out; the message says why, in words for the model."""


@dataclass(frozen=True)
class ToolCall:
    """One Home Assistant tool call, checked against the home."""

    tool: str
    args: dict[str, Any]
    entity: EntityInfo
    verb: str


@dataclass
class Plan:
    """What the model decided: words to say, or calls to run."""

    answer: str | None = None
    calls: list[ToolCall] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def written_out(reply: str) -> bool:
    """Whether a reply still streaming in is one whole JSON value already.

    The schema lets nothing but white space follow, so the end of the stream (one more
    forward pass of the model, for its end-of-text token) need not be waited for.
    """
    text = reply.rstrip()
    if not text.endswith(("]", "}")):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def looks_like_tool_text(text: str) -> bool:
    """Whether a reply is JSON or a tool call written out, which must never be spoken."""
    return _NOT_WORDS.search(text) is not None


def _literal(text: str) -> str:
    """A regular expression that matches `text`.

    `text` as a regex that matches it (spaces stay spaces; a character that cannot
    be written plainly matches any character, and the reader checks the name).
    """
    return _SPECIAL.sub(lambda m: "." if m[0] in '[]\\^"' else f"[{m[0]}]", text)


def action_text(verb: str, name: str, value: Any = None) -> str:
    """`set_brightness Hall Light 40`: one action as the model writes it."""
    if value is None:
        return f"{verb} {name}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{verb} {name} {value}"


def split_action_text(text: str, is_name: Callable[[str, bool], bool]) -> dict[str, Any]:
    """An action written as text, split into verb, device and value.

    `"set_brightness Hall Light 40"` -> `{"action": ..., "name": ..., "value": ...}`:
    the longest run of words after the verb that `is_name(words, exact)` accepts is the
    device, tried first with exact names, then with near misses.
    """
    verb, _, rest = text.strip().partition(" ")
    words = rest.split()
    for exact in (True, False):
        for end in range(len(words), 0, -1):
            if is_name(name := " ".join(words[:end]), exact):
                value = " ".join(words[end:]) or None
                return {"action": verb, "name": name, "value": value}
    return {"action": verb, "name": rest}


def _valued_pattern(by_verb: dict[str, set[str]], value: str) -> dict[str, Any]:
    verbs = "|".join(
        f"{_literal(verb)} ({'|'.join(_literal(n) for n in sorted(names))})"
        for verb, names in sorted(by_verb.items())
    )
    return {"type": "string", "pattern": f"^({verbs}) {value}$"}


def plan_schema(entities: Sequence[EntityInfo], tools: Collection[str]) -> dict[str, Any]:
    """The reply schema for this home and these Home Assistant tools."""
    plain: set[str] = set()
    numbers: dict[str, set[str]] = {}
    texts: dict[str, set[str]] = {}
    for entity in entities:
        for verb, action in spoken_verbs(entity.domain, tools).items():
            valued = numbers if action.kind == "number" else texts
            _offer(verb, action, entity, plain, valued)
    answer = {
        "type": "object",
        "properties": {"answer": {"type": "string"}},
        "required": ["answer"],
        "additionalProperties": False,
    }
    choices: list[dict[str, Any]] = []
    if plain:
        choices.append({"enum": sorted(plain)})
    if numbers:
        choices.append(_valued_pattern(numbers, NUMBER_VALUE))
    if texts:
        choices.append(_valued_pattern(texts, TEXT_VALUE))
    if not choices:
        return answer
    item = choices[0] if len(choices) == 1 else {"anyOf": choices}
    actions_list = {"type": "array", "items": item, "minItems": 1, "maxItems": MAX_ACTIONS}
    return {"anyOf": [actions_list, answer]}


def _offer(
    verb: str,
    action: Action,
    entity: EntityInfo,
    plain: set[str],
    valued: dict[str, set[str]],
) -> None:
    """Offer `verb` for `entity` in the schema.

    Add what `verb` can be written as for `entity`: whole strings, or the verb and
    name before a value. An item value is one of the device's own items.
    """
    for name in entity.names:
        if action.kind == "item":
            plain.update(action_text(verb, name, item) for item in entity.items)
        elif action.takes_value:
            valued.setdefault(verb, set()).add(name)
        else:
            plain.add(action_text(verb, name))


_ANSWER_START = re.compile(r'^\s*\{\s*"answer"\s*:\s*"')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


def answer_so_far(reply: str) -> str | None:
    """The answer of a reply that is still being written.

    The answer text of a reply still being written, as far as it can be decoded; None
    when the reply is not an answer (or not yet recognisably one).
    """
    start = _ANSWER_START.match(reply)
    if start is None:
        return None
    body, text, i = reply[start.end() :], [], 0
    while i < len(body) and body[i] != '"':
        if body[i] != "\\":
            text.append(body[i])
            i += 1
            continue
        if i + 1 >= len(body):
            break
        escaped = body[i + 1]
        if escaped == "u":
            if i + 6 > len(body):
                break
            try:
                text.append(chr(int(body[i + 2 : i + 6], 16)))
            except ValueError:
                break
            i += 6
            continue
        text.append(_ESCAPES.get(escaped, escaped))
        i += 2
    return "".join(text)

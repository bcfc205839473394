"""Which way an English request moves a value when it says no amount.

A small model gets the direction of a vague change wrong surprisingly often ("the
light is too dim" -> dimmer). The words themselves say it, so when a request names
one direction and no amount, the plan reader moves the value one step that way,
whatever the model wrote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .lexicon.en import LEXICON as ENGLISH

# "too X" first: "too dim" means brighter although "dim" alone means darker.
_TOO = ENGLISH.too_direction_words
_WORDS = ENGLISH.direction_words
# Words that say how much: with these, the model's value stands.
_AMOUNTS = ENGLISH.amount_words
_WORD = re.compile(r"[a-z]+|\d")


def change_direction(utterance: str) -> int:
    """+1 or -1 when the request moves values one way without saying how far, else 0."""
    found = _WORD.findall(utterance.lower())
    if any(word.isdigit() or word in _AMOUNTS for word in found):
        return 0
    directions: set[int] = set()
    rest: list[str] = []
    index = 0
    while index < len(found):
        word = found[index]
        following = found[index + 1] if index + 1 < len(found) else ""
        if word == ENGLISH.too_word and (sign := _sign(following, _TOO)):
            directions.add(sign)
            index += 2
            continue
        rest.append(word)
        index += 1
    directions |= {sign for word in rest if (sign := _sign(word, _WORDS))}
    return directions.pop() if len(directions) == 1 else 0


def _sign(word: str, table: Mapping[int, tuple[str, ...]]) -> int:
    return next((sign for sign, words in table.items() if word in words), 0)

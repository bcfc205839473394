"""Whether an English request asks about the home rather than asking to change it.

A question gets a reply schema that only allows an answer: a small model sometimes
acts on "what's on my shopping list?" (it ticked an item off), and a question must
never change anything. Requests that start like a question but ask for an action
("can you turn on the light?") are not questions here.
"""

from __future__ import annotations

import re

from .lexicon.en import LEXICON as ENGLISH

_QUESTION_STARTS = ENGLISH.question_starts
_WORD = re.compile(r"[a-z]+")


def is_question(utterance: str) -> bool:
    """True for "what's on my list?", "is the door locked"; False for commands,
    including polite ones ("can you ...", "could you ...", "would you ...")."""
    words = _WORD.findall(utterance.lower().replace("'", ""))
    return bool(words) and words[0] in _QUESTION_STARTS

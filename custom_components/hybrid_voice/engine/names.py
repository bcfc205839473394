"""Matching the names a model writes to the names the home uses."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

_CUTOFF = 0.8


def normalize(text: str) -> str:
    """`The living_room  Lights` -> `living room light`."""
    text = re.sub(r"[_\s]+", " ", text.strip().lower())
    text = re.sub(r"^the ", "", text)
    return " ".join(
        word[:-1] if len(word) > 3 and word.endswith("s") else word for word in text.split()
    )


def closest[T](value: str, choices: Mapping[str, T]) -> T | None:
    """The choice whose normalized key is `value`'s, or is very close to it."""
    key = normalize(value)
    if key in choices:
        return choices[key]
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=_CUTOFF)
    return choices[close[0]] if close else None

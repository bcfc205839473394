"""Word error rate with the text normalisation speech benchmarks use.

Both sides are lower-cased, punctuation is dropped (apostrophes inside words stay, so
"it's" stays one word), hyphens split words, and a few spellings that mean the same are
unified (numbers below 100 become words, "%" becomes "percent"). Then the word-level
edit distance (substitutions + deletions + insertions) is divided by the number of
reference words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_UNITS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SPELLINGS = {"%": "percent", "ok": "okay"}
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*|%")


def number_words(number: int) -> list[str]:
    """0 <= number < 100 in words: 42 -> ["forty", "two"]."""
    if not 0 <= number < 100:
        raise ValueError(f"{number} is out of range")
    if number < 20:
        return [_UNITS[number]]
    tens, units = divmod(number, 10)
    return [_TENS[tens - 2]] + ([_UNITS[units]] if units else [])


def normalize(text: str) -> list[str]:
    """The words of `text`, normalised for comparison."""
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    words: list[str] = []
    for token in _TOKEN.findall(text):
        if token.isdigit() and len(token) <= 2:
            words.extend(number_words(int(token)))
        else:
            words.append(_SPELLINGS.get(token, token))
    return words


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance between two word lists."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, start=1):
            current.append(
                min(
                    previous[j] + 1,  # deletion
                    current[j - 1] + 1,  # insertion
                    previous[j - 1] + (ref_word != hyp_word),  # substitution
                )
            )
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class WordErrors:
    """Word errors (substitutions, deletions, insertions) over the reference's words."""

    errors: int
    words: int

    @property
    def rate(self) -> float:
        """Errors per reference word (0 for an empty reference with no errors)."""
        if self.words == 0:
            return 0.0 if self.errors == 0 else float("inf")
        return self.errors / self.words


def word_errors(reference: str, hypothesis: str) -> WordErrors:
    """The word errors of `hypothesis` against `reference`."""
    ref = normalize(reference)
    return WordErrors(edit_distance(ref, normalize(hypothesis)), len(ref))


def corpus_wer(pairs: Iterable[tuple[str, str]]) -> WordErrors:
    """Errors summed over (reference, hypothesis) pairs: long clips weigh more."""
    errors = words = 0
    for reference, hypothesis in pairs:
        counted = word_errors(reference, hypothesis)
        errors += counted.errors
        words += counted.words
    return WordErrors(errors, words)

"""An utterance in the router's normal form, and this home's names found in it.

Words are lower case with contractions written out ("what's" -> "what is"); each word
is kept as said and with a final plural "s" folded ("lights" -> "light"), so a name
matches however many of it are meant. `HomeVocabulary` holds a home's names by their
first folded word, so finding them costs a dictionary lookup per word of the utterance,
not a pass over every entity.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .lexicon.router_words import RouterWords

_TOKEN = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*'?|[%+*/=]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
# Word endings that look like a plural but are not ("this", "glass", "bus", "series").
_NOT_PLURAL = ("ss", "us", "is", "ies", "ous", "ics")


def fold(word: str) -> str:
    """`lights` -> `light`; short words and non-plural endings stay as they are."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(_NOT_PLURAL):
        return word[:-1]
    return word


def _plain_words(text: str) -> list[str]:
    """Lower-case words of a name, possessive "'s" dropped (language-neutral)."""
    words = _TOKEN.findall(text.lower().translate(_APOSTROPHES).replace("_", " "))
    return [word.split("'")[0] for word in words if word.split("'")[0]]


@dataclass(frozen=True)
class NamePhrase:
    """One name, alias, area or floor of the home, as folded words."""

    words: tuple[str, ...]
    plural: bool  # the name itself ends in a plural ("String Lights")
    place: bool = False  # an area or a floor, not a device


@dataclass(frozen=True)
class HomeVocabulary:
    """The names one home answers to: build once per home, reuse for every turn."""

    phrases: Mapping[str, tuple[NamePhrase, ...]]  # first folded word -> its names
    name_words: frozenset[str]  # every folded word of a name of two or more words
    domains: frozenset[str]

    @classmethod
    def build(
        cls,
        device_names: Iterable[str],
        place_names: Iterable[str] = (),
        domains: Iterable[str] = (),
    ) -> HomeVocabulary:
        """The vocabulary of names as the user sees them.

        `device_names`: the exposed entities' names and aliases; `place_names`: the
        areas' and floors' names and aliases.
        """
        by_first: dict[str, set[NamePhrase]] = {}
        name_words: set[str] = set()
        names = [(name, False) for name in device_names]
        names += [(name, True) for name in place_names]
        for name, place in names:
            said = _plain_words(name)
            if not said:
                continue
            folded = tuple(fold(word) for word in said)
            phrase = NamePhrase(folded, fold(said[-1]) != said[-1], place)
            by_first.setdefault(folded[0], set()).add(phrase)
            if len(folded) > 1:
                name_words.update(folded)
        return cls(
            phrases={
                first: tuple(sorted(found, key=lambda p: (-len(p.words), not p.place)))
                for first, found in by_first.items()
            },
            name_words=frozenset(name_words),
            domains=frozenset(domains),
        )


@dataclass(frozen=True)
class NameMention:
    """A name of the home found in the utterance, at words `start` to `end`."""

    start: int
    end: int
    phrase: NamePhrase
    said_plural: bool  # the utterance said it in the plural ("greenhouses")


@dataclass(frozen=True)
class Reading:
    """One utterance in normal form."""

    said: tuple[str, ...]  # words as said, contractions written out
    folded: tuple[str, ...]  # the same words with plurals folded
    start: int  # first word after the lead fillers ("hey", "can you")

    @property
    def text(self) -> str:
        """The words as one string, for phrase lookups."""
        return " ".join(self.said)

    def has(self, words: frozenset[str], start: int = 0) -> int | None:
        """The position of the first word (as said or folded) from `words`."""
        for index in range(start, len(self.said)):
            if self.said[index] in words or self.folded[index] in words:
                return index
        return None

    def opening(self, phrases: frozenset[str], start: int | None = None) -> bool:
        """Whether the words from `start` (the lead) begin with one of `phrases`."""
        return self._phrase_at(self.start if start is None else start, phrases)

    def contains(self, phrases: frozenset[str]) -> bool:
        """Whether one of `phrases` occurs as whole words."""
        return any(self._phrase_at(index, phrases) for index in range(len(self.said)))

    def _phrase_at(self, begin: int, phrases: frozenset[str]) -> bool:
        if begin >= len(self.said):
            return False
        return any(
            self.said[begin : begin + len(phrase)] == phrase
            for phrase in phrases_by_first_word(phrases).get(self.said[begin], ())
        )

    def names(self, home: HomeVocabulary) -> list[NameMention]:
        """The home's names in the utterance, longest first at each position."""
        found: list[NameMention] = []
        index = 0
        while index < len(self.folded):
            for phrase in home.phrases.get(self.folded[index], ()):
                end = index + len(phrase.words)
                if self.folded[index:end] == phrase.words:
                    said_plural = self.said[end - 1] != self.folded[end - 1]
                    found.append(NameMention(index, end, phrase, said_plural))
                    index = end - 1
                    break
            index += 1
        return found


@functools.cache
def phrases_by_first_word(phrases: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """A word list's phrases split into words, by first word (worked out once per list)."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        split = tuple(phrase.split())
        table.setdefault(split[0], []).append(split)
    return {first: tuple(found) for first, found in table.items()}


@functools.cache
def _contractions(
    pairs: tuple[tuple[str, str], ...],
) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Whole-word contractions, and endings ("n't", "'re") in the order given."""
    endings = tuple((end, full) for end, full in pairs if end.startswith(("'", "n'")))
    return dict(pairs), endings


def read(text: str, words: RouterWords) -> Reading:
    """Normal form of `text` under a language's router words."""
    said: list[str] = []
    whole, endings = _contractions(words.contractions)
    for found in _TOKEN.findall(text.lower().translate(_APOSTROPHES)):
        token = found.rstrip("'")
        if token in whole:
            said.extend(whole[token].split())
            continue
        if "'" not in token:
            said.append(token)
            continue
        ending, full = next(
            ((e, f) for e, f in endings if token.endswith(e) and len(token) > len(e)), ("", "")
        )
        said.extend((token[: len(token) - len(ending)] + full).split())
    start = 0
    while start < len(said) - 1:
        pair = " ".join(said[start : start + 2])
        if said[start] not in words.lead_fillers and pair not in words.lead_fillers:
            break
        start += 2 if pair in words.lead_fillers and start < len(said) - 2 else 1
    return Reading(tuple(said), tuple(fold(word) for word in said), start)

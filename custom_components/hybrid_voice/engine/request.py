"""The utterance read once.

The utterance read once: its words, the devices and areas it names, whether it asks
about the home or changes it, and which way and how far a change goes.

Everything that reads a request (which devices it may act on, which states the turn
shows, the reply schema, the router) reads a `ParsedRequest` instead of splitting the
text again. The words come from the lexicon of the request's language; a language
without one is split with the English stop and kind words (device names still match),
but is not read for questions, directions or unknown words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .home_model import EntityInfo, ExposedHome
from .lexicon import Lexicon, lexicon_for
from .lexicon.en import LEXICON as ENGLISH

_CONTENT_WORD = re.compile(r"[a-z0-9]+")
_SPOKEN_WORD = re.compile(r"[a-z]+|\d")
# "we're" is "we are", not the question word "were" it reads as without the apostrophe.
_ARE = re.compile(r"(?<=[a-z])['\u2019]re\b")


def content_words(text: str, lexicon: Lexicon = ENGLISH) -> set[str]:
    """Lower-case words without the stop words, plurals folded ("lights" -> "light").

    A word the lexicon gives a same-meaning word for is read as both ("outside").
    """
    found = set()
    for word in _CONTENT_WORD.findall(text.lower().replace("_", " ")):
        if word in lexicon.stop_words:
            continue
        found.add(word)
        if len(word) > 3 and word.endswith("s"):
            found.add(word[:-1])
    return found | {lexicon.same_words[word] for word in found if word in lexicon.same_words}


_KIND_WORDS: dict[str, frozenset[str]] = {}


def kind_words(lexicon: Lexicon = ENGLISH) -> frozenset[str]:
    """Every word that names a kind of device, and the domains themselves."""
    if (found := _KIND_WORDS.get(lexicon.language)) is None:
        kinds = lexicon.kind_words
        found = frozenset({word for words in kinds.values() for word in words} | set(kinds))
        _KIND_WORDS[lexicon.language] = found
    return found


def kinds_in(query: set[str] | frozenset[str], lexicon: Lexicon = ENGLISH) -> set[str]:
    """The domains the words point at ("warmer" -> climate)."""
    return {domain for domain, words in lexicon.kind_words.items() if query & {domain, *words}}


@dataclass(frozen=True)
class ParsedRequest:
    """One utterance as every reader of a request sees it."""

    text: str
    lexicon: Lexicon  # the language's own, or English to split words with
    understood: bool  # the language has a lexicon: questions and changes are read
    words: frozenset[str]  # content words, plurals folded
    named: tuple[EntityInfo, ...]  # devices called by a full name or alias, as one phrase
    rest: frozenset[str]  # content words outside those names ("the kitchen light" -> none)
    kinds: frozenset[str]  # domains the rest points at ("warmer" -> climate)
    areas: tuple[str, ...]  # areas whose every word it says
    unknown: frozenset[str]  # words that name nothing in this home ("unlock the shed")
    question: bool  # asks about the home rather than to change it
    direction: int  # +1 or -1: moves values one step that way without an amount; else 0
    amount: bool  # says how much ("to 40", "half")
    floors: tuple[str, ...] = field(default=())  # floors it names, when a reader needs them

    def words_of(self, text: str) -> set[str]:
        """A name or area split into words the same way as the request."""
        return content_words(text, self.lexicon)


def _phrase(text: str, lexicon: Lexicon) -> str:
    """Content words in order, one form each: the form names are found in."""
    tokens = [
        min(forms, key=len) for word in text.split() if (forms := content_words(word, lexicon))
    ]
    return " ".join(tokens)


def _named(entities: Sequence[EntityInfo], text: str, lexicon: Lexicon) -> tuple[EntityInfo, ...]:
    """The entities the text names in full.

    The entities the text calls by their full name or an alias, written as one
    phrase: "the porch light and the garage door" does not name the garage light.
    """
    said = f" {_phrase(text, lexicon)} "
    return tuple(
        entity
        for entity in entities
        if any((name := _phrase(n, lexicon)) and f" {name} " in said for n in entity.names)
    )


def _unknown(home: ExposedHome, query: frozenset[str], lexicon: Lexicon) -> frozenset[str]:
    """Words of the request that name nothing in this home ("unlock the shed")."""
    known = set(kind_words(lexicon)) | lexicon.command_words
    known |= {noun for nouns in lexicon.class_nouns.values() for noun in nouns}  # "garage"
    for entity in home.entities:
        for name in (*entity.names, entity.area or ""):
            known |= content_words(name, lexicon)
    # A word counts in either number: "doors" is known when a name says "door".
    return frozenset(
        word
        for word in query - known
        if not word.isdigit()
        and f"{word}s" not in known
        and f"{word}s" not in query
        and not (word.endswith("s") and word[:-1] in known)
    )


def _direction(spoken: Sequence[str], lexicon: Lexicon) -> int:
    """+1 or -1 when the words move values one way, else 0 ("too dim" is +1)."""
    directions: set[int] = set()
    index = 0
    while index < len(spoken):
        word = spoken[index]
        following = spoken[index + 1] if index + 1 < len(spoken) else ""
        if word == lexicon.too_word and (sign := _sign(following, lexicon.too_direction_words)):
            directions.add(sign)
            index += 2
            continue
        if sign := _sign(word, lexicon.direction_words):
            directions.add(sign)
        index += 1
    return directions.pop() if len(directions) == 1 else 0


def _sign(word: str, table: Mapping[int, tuple[str, ...]]) -> int:
    return next((sign for sign, words in table.items() if word in words), 0)


def parse_request(text: str, language: str, home: ExposedHome) -> ParsedRequest:
    """Read `text`, said in `language`, against the devices and areas of `home`."""
    own = lexicon_for(language)
    lexicon = own or ENGLISH
    query = frozenset(content_words(text, lexicon))
    named = _named(home.entities, text, lexicon)
    # Areas and kinds count outside the names said in full: "turn the kitchen speaker
    # down" is not about the kitchen, "the kitchen light and the garage" names no kind.
    rest = query - {w for entity in named for n in entity.names for w in content_words(n, lexicon)}
    spoken = _SPOKEN_WORD.findall(_ARE.sub(" are", text.lower()).replace("'", ""))
    amount = any(word.isdigit() or word in lexicon.amount_words for word in spoken)
    first = next((word for word in spoken if word.isalpha()), "")
    return ParsedRequest(
        text=text,
        lexicon=lexicon,
        understood=own is not None,
        words=query,
        named=named,
        rest=rest,
        kinds=frozenset(kinds_in(rest, lexicon)),
        areas=tuple(
            area
            for area in home.areas
            if (area_words := content_words(area, lexicon)) <= query and area_words
        ),
        unknown=_unknown(home, query, lexicon) if own is not None else frozenset(),
        question=own is not None and first in lexicon.question_starts,
        direction=0 if own is None or amount else _direction(spoken, lexicon),
        amount=amount,
    )

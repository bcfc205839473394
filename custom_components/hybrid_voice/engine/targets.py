"""Which devices a request may act on, so that a model cannot switch something the user
did not point at: the devices it names, else those of an area or a kind it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .home_model import EntityInfo
from .lexicon.en import LEXICON as ENGLISH
from .selection import DOMAIN_WORDS, GENERIC, relevance, was_remembered, words

_COMMAND_WORDS = ENGLISH.command_words


@dataclass(frozen=True)
class Targets:
    """The entity ids a request may act on, and those among them it calls by name."""

    allowed: frozenset[str]
    named: frozenset[str]


def _tokens(text: str) -> list[str]:
    """Content words in order, plurals folded: the form names are found in."""
    return [min(variants, key=len) for word in text.split() if (variants := words(word))]


def named_in(entities: Sequence[EntityInfo], utterance: str) -> list[EntityInfo]:
    """The entities the utterance calls by their full name or an alias, written as one
    phrase: "the porch light and the garage door" does not name the garage light."""
    said = " ".join(_tokens(utterance))
    return [
        entity
        for entity in entities
        if any((name := " ".join(_tokens(n))) and f" {name} " in f" {said} " for n in entity.names)
    ]


def _kinds_in(query: set[str]) -> set[str]:
    """The domains the utterance names words of ("warmer" -> climate)."""
    return {domain for domain, kind_words in DOMAIN_WORDS.items() if query & {domain, *kind_words}}


def _pointed_at(entity: EntityInfo, query: set[str], kinds: set[str]) -> str | None:
    """ "strong" when the utterance names a distinctive word of the device's name, or
    its area (and, if it names kinds of device, the device's kind: "make the lounge
    warmer" is about the heater, not the lounge light); "weak" when it only names its
    kind ("the lights", "unlock")."""
    area_words = words(entity.area) if entity.area else set()
    in_area = bool(area_words) and area_words <= query
    for name in entity.names:
        name_words = words(name) - (area_words if in_area else set())
        if (name_words - GENERIC) & query or (in_area and name_words & query):
            return "strong"
    if in_area:
        return "strong" if not kinds or entity.domain in kinds else None
    return "weak" if relevance(entity, query) > 0 else None


def _unknown_words(entities: Sequence[EntityInfo], query: set[str]) -> set[str]:
    """Words of the utterance that name nothing in this home ("unlock the shed")."""
    known = set(GENERIC) | _COMMAND_WORDS
    for entity in entities:
        for name in (*entity.names, entity.area or ""):
            known |= words(name)
    return {
        word
        for word in query - known
        if not word.isdigit() and f"{word}s" not in known and f"{word}s" not in query
    }


def allowed_targets(
    entities: Sequence[EntityInfo],
    utterance: str,
    remembered: Iterable[str] = (),
    english: bool = True,
) -> Targets:
    """What a request may act on: the devices it names; else those it points at
    through an area or a distinctive name word, or that earlier turns acted on; and
    devices it only names the kind of, unless (in English) it also uses a word that
    names nothing in the home. Naming one device of a kind rules out the others, and
    of the devices of a kind, those whose name has the word used ("the radio") rule out
    the others."""
    query = words(utterance)
    named = named_in(entities, utterance)
    named_domains = {entity.domain for entity in named}
    recent = {item.lower() for item in remembered}
    allow_weak = not (english and _unknown_words(entities, query))
    # Areas and kinds count outside the names said in full: "turn the kitchen speaker
    # down" is not about the kitchen, "the kitchen light and the garage" names no kind.
    rest = query - {w for entity in named for n in entity.names for w in words(n)}
    kinds = _kinds_in(rest)
    allowed = {entity.entity_id for entity in named}
    weak: list[EntityInfo] = []
    for entity in entities:
        if was_remembered(entity, recent):
            allowed.add(entity.entity_id)
            continue
        if entity.domain in named_domains:
            continue
        pointed = _pointed_at(entity, rest, kinds)
        if pointed == "strong":
            allowed.add(entity.entity_id)
        elif pointed == "weak" and allow_weak:
            weak.append(entity)
    in_name = [e for e in weak if any(words(name) & query for name in e.names)]
    allowed.update(entity.entity_id for entity in in_name or weak)
    return Targets(frozenset(allowed), frozenset(entity.entity_id for entity in named))

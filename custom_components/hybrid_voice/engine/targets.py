"""Which devices a request may act on.

Which devices a request may act on, so that a model cannot switch something the user
did not point at: the devices it names, else those of an area or a kind it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .home_model import EntityInfo
from .lexicon import Lexicon
from .request import ParsedRequest, content_words, kind_words
from .selection import relevance, was_remembered


@dataclass(frozen=True)
class Targets:
    """The entity ids a request may act on, those it calls by name, and earlier turns'."""

    allowed: frozenset[str]
    named: frozenset[str]
    remembered: frozenset[str] = frozenset()  # named or acted on by earlier turns


def _pointed_at(
    entity: EntityInfo, query: frozenset[str], kinds: frozenset[str], lexicon: Lexicon
) -> str | None:
    """How a request points at a device: strongly, weakly, or not at all.

     "strong" when the utterance names a distinctive word of the device's name, or
    its area (and, if it names kinds of device, the device's kind: "make the lounge
    warmer" is about the heater, not the lounge light); "weak" when it only names its
    kind ("the lights", "unlock").
    """
    area_words = content_words(entity.area, lexicon) if entity.area else set()
    in_area = bool(area_words) and area_words <= query
    generic = kind_words(lexicon)
    for name in entity.names:
        name_words = content_words(name, lexicon) - (area_words if in_area else set())
        if (name_words - generic) & query or (in_area and name_words & query):
            return "strong"
    if in_area:
        return "strong" if not kinds or entity.domain in kinds else None
    return "weak" if relevance(entity, query, lexicon) > 0 else None


def _area_said(entity: EntityInfo, rest: frozenset[str], lexicon: Lexicon) -> bool:
    """Whether the words outside the names said in full name the device's area."""
    area = content_words(entity.area, lexicon) if entity.area else set()
    return bool(area) and area <= rest


def allowed_targets(
    entities: Sequence[EntityInfo],
    request: ParsedRequest,
    remembered: Iterable[str] = (),
) -> Targets:
    """The devices a request may act on, and those it names.

    What a request may act on: the devices it names; else those it points at
    through an area or a distinctive name word, or that earlier turns acted on; and
    devices it only names the kind of, unless (in English) it also uses a word that
    names nothing in the home. Naming one device of a kind rules out the others, and
    of the devices of a kind, those whose name has the word used ("the radio") rule out
    the others.
    """
    named = request.named
    named_domains = {entity.domain for entity in named}
    named_areas = {entity.area for entity in named}
    recent = {item.lower() for item in remembered}
    allow_weak = not request.unknown
    allowed = {entity.entity_id for entity in named}
    earlier: set[str] = set()
    weak: list[EntityInfo] = []
    for entity in entities:
        if was_remembered(entity, recent):
            earlier.add(entity.entity_id)
            continue
        if entity.domain in named_domains:
            # Naming one light rules out the others, but not those of another area
            # the request names: "the living room and playroom lights".
            if entity.area not in named_areas and _area_said(entity, request.rest, request.lexicon):
                allowed.add(entity.entity_id)
            continue
        pointed = _pointed_at(entity, request.rest, request.kinds, request.lexicon)
        if pointed == "strong":
            allowed.add(entity.entity_id)
        elif pointed == "weak" and allow_weak:
            weak.append(entity)
    in_name = [e for e in weak if any(request.words_of(name) & request.words for name in e.names)]
    allowed.update(entity.entity_id for entity in in_name or weak)
    allowed |= earlier
    named_ids = frozenset(entity.entity_id for entity in named)
    return Targets(frozenset(allowed), named_ids, frozenset(earlier))

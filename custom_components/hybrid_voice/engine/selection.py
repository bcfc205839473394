"""Which devices the model sees.

Which devices the model sees: all of them when the home fits the token budget,
otherwise only the ones that matter for the utterance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .home_model import EntityInfo
from .lexicon import Lexicon
from .lexicon.en import LEXICON as ENGLISH
from .request import ParsedRequest, content_words, kind_words

# The English forms, for readers that match names without a request.
DOMAIN_WORDS = ENGLISH.kind_words
GENERIC = kind_words(ENGLISH)


def words(text: str) -> set[str]:
    """Lower-case content words, with simple plurals folded ("lights" -> "light")."""
    return content_words(text)


def estimate_tokens(text: str) -> int:
    """A cheap, tokenizer-free estimate (about 3.5 characters per token)."""
    return max(1, (len(text) * 2 + 6) // 7)


def describe(entity: EntityInfo) -> str:
    """The line that lists an entity in the prompt (no state: that changes)."""
    parts = [f"- {entity.name} ({entity.domain}"]
    if entity.area:
        parts.append(f", area {entity.area}")
    if entity.aliases:
        parts.append(f", also called {', '.join(entity.aliases)}")
    return "".join(parts) + ")"


def stable_order(entities: Iterable[EntityInfo]) -> list[EntityInfo]:
    """Sorted by area, then domain, then name, so the prompt is byte-stable."""
    return sorted(entities, key=lambda e: (e.area or "", e.domain, e.name.lower(), e.entity_id))


def fits_budget(entities: Sequence[EntityInfo], budget: int) -> bool:
    """Whether the lines that list the entities fit `budget` tokens."""
    return sum(estimate_tokens(describe(entity)) for entity in entities) <= budget


def relevance(
    entity: EntityInfo, query: set[str] | frozenset[str], lexicon: Lexicon = ENGLISH
) -> float:
    """How strongly the words of a request point at the entity; 0 means not at all."""
    area_words = content_words(entity.area, lexicon) if entity.area else set()
    in_area = bool(area_words) and area_words <= query
    generic = kind_words(lexicon)
    best = 0.0
    for name in entity.names:
        name_words = content_words(name, lexicon)
        if name_words and name_words <= query:
            best = max(best, 3.0 + len(name_words))
            continue
        # Area words count once, through the area; a word of the kind ("light") says
        # less than a word of this very device.
        shared = name_words & query - (area_words if in_area else set())
        best = max(best, 1.5 * len(shared - generic) + 0.5 * len(shared & generic))
    score = best + (2.0 if in_area else 0.0)
    domain_words = {entity.domain, *lexicon.kind_words.get(entity.domain, ())}
    if domain_words & query:
        score += 1.0
    if entity.device_class and content_words(entity.device_class, lexicon) & query:
        score += 1.0  # "the garage doors": a cover of the garage class
    if content_words(entity.entity_id.partition(".")[2], lexicon) & query:
        score += 0.5
    return score


def was_remembered(entity: EntityInfo, recent: set[str]) -> bool:
    """Whether earlier turns named or acted on `entity`.

    `recent` holds lower-case names or entity ids.
    """
    return entity.entity_id in recent or any(name.lower() in recent for name in entity.names)


def select_relevant(
    entities: Sequence[EntityInfo],
    request: ParsedRequest,
    budget: int,
    remembered: Iterable[str] = (),
    gap: float | None = None,
) -> list[EntityInfo]:
    """The entities that matter for a request, best first.

    The entities the request (or the recent conversation) points at, best first,
    cut at `budget` tokens. `remembered` holds names or entity ids from earlier turns,
    so "make it dimmer" still finds the kitchen light. With `gap`, only entities that
    score within `gap` of the best are kept: "open the bedroom curtains" is about the
    curtains, not every cover and every bedroom device.
    """
    recent = {item.lower() for item in remembered}
    scored: list[tuple[float, EntityInfo]] = []
    for entity in entities:
        score = relevance(entity, request.words, request.lexicon)
        if was_remembered(entity, recent):
            score += 4.0
        if score > 0:
            scored.append((score, entity))
    scored.sort(key=lambda item: (-item[0], item[1].entity_id))
    if gap is not None and scored:
        scored = [item for item in scored if item[0] >= scored[0][0] - gap]
    chosen: list[EntityInfo] = []
    used = 0
    for _score, entity in scored:
        cost = estimate_tokens(describe(entity)) + 6
        if used + cost > budget:
            break
        chosen.append(entity)
        used += cost
    return chosen

"""Where a request points beyond device names.

A floor ("the upstairs lights"), the speaker's room (a satellite's area when the
request names none), and a phrase for one device that fits several ("lock the door"
with two door locks), which is answered with a question instead of a guess. The
question is written and read back here, so that the reply to it ("the front one")
completes the request it asked about.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from .home_model import EntityInfo
from .lexicon.en import LEXICON as ENGLISH
from .lexicon.en_router import ROUTER_WORDS as ENGLISH_ROUTER_WORDS
from .request import kinds_in
from .selection import DOMAIN_WORDS, GENERIC, words

# Kinds of device a command acts on (sensors only answer).
ACTABLE = frozenset(DOMAIN_WORDS) - {"sensor", "binary_sensor"}
_ALL_WORDS = ENGLISH.all_words
_ONE_THING_PLURALS = ENGLISH.one_thing_plurals
_ASK_START = "Which one do you mean: "
# The states an open/close/lock verb leaves a device in.
_VERB_ENDS = {
    "open": ("open", "opening"),
    "close": ("closed", "closing"),
    "lock": ("locked", "locking"),
    "unlock": ("unlocked", "unlocking"),
}
# Words that stand for the devices the previous turn was about ("make it dimmer").
_POINTING_BACK = ENGLISH_ROUTER_WORDS.pronouns | {"that", "those"}


@dataclass(frozen=True)
class Narrowed:
    """The devices a request may act on after floors and the speaker's room.

    `ask` holds the names to ask between when a phrase for one device fits several.
    """

    allowed: frozenset[str]
    ask: tuple[str, ...] = ()
    by_place: bool = False  # narrowed to a floor or to the speaker's room


def floor_in(query: set[str], floors: Mapping[str, tuple[str, ...]]) -> str | None:
    """The floor the request names by its name or an alias ("upstairs", "first floor")."""
    for floor, aliases in floors.items():
        for name in (floor, *aliases):
            if (name_words := words(name)) and name_words <= query:
                return floor
    return None


def _areas_named(entities: Sequence[EntityInfo], query: set[str]) -> set[str]:
    """The areas whose every word the request says."""
    return {e.area for e in entities if e.area and words(e.area) <= query}


def spoken_tokens(text: str) -> list[str]:
    """Its lower-case words as said, punctuation at their ends dropped ("doors?" -> "doors")."""
    return [token.strip("?.!,") for token in text.lower().split()]


def single_verbs(said: Collection[str]) -> set[str]:
    """The verbs of a single open/close/lock command ("shut the garage": close).

    Empty when the request also switches something or joins commands.
    """
    verbs = {ENGLISH.kind_verbs[word] for word in said if word in ENGLISH.kind_verbs}
    if set(said) & (ENGLISH.switch_words | ENGLISH.joining_words):
        return set()
    return verbs


def left_to_do(entities: Sequence[EntityInfo], verbs: Collection[str]) -> list[EntityInfo]:
    """The devices not already where the verbs take them ("close": not closed)."""
    ends = {state for verb in verbs for state in _VERB_ENDS.get(verb, ())}
    return [entity for entity in entities if entity.state not in ends]


def says_all(utterance: str) -> bool:
    """Whether the request says "all", "every" or "both"."""
    return bool(_ALL_WORDS.intersection(spoken_tokens(utterance)))


def says_plural(utterance: str, domain: str) -> bool:
    """Whether the request says "all", "both", or a kind word in the plural ("lights")."""
    if says_all(utterance):
        return True
    tokens = spoken_tokens(utterance)
    kind_words = {domain, *DOMAIN_WORDS.get(domain, ()), *ENGLISH.class_nouns.get(domain, ())}
    return any(
        token.endswith("s") and token[:-1] in kind_words and token not in _ONE_THING_PLURALS
        for token in tokens
    )


def points_back(utterance: str) -> bool:
    """Whether the request stands for something said before ("make it dimmer")."""
    return bool(_POINTING_BACK.intersection(spoken_tokens(utterance)))


def _pointed_back(earlier: frozenset[str], utterance: str) -> frozenset[str]:
    """`earlier` when the request points back at it ("make it dimmer"), else nothing."""
    return earlier if points_back(utterance) else frozenset()


def own_words(entity: EntityInfo) -> set[str]:
    """The words of its names that are not words of a kind ("back" of "Back Door Lock")."""
    return {word for name in entity.names for word in words(name)} - GENERIC


def default_lists(lists: Sequence[EntityInfo]) -> list[EntityInfo]:
    """The lists called shopping (else to-do) by name or alias."""
    for list_words in ENGLISH.default_list_words:
        found = [e for e in lists if any(set(n.lower().split()) & list_words for n in e.names)]
        if found:
            return found
    return []


def _on_floor(entities: Sequence[EntityInfo], floor: str, kinds: set[str]) -> frozenset[str]:
    wanted = kinds & (ACTABLE | {"sensor", "binary_sensor"}) or {"light"}
    return frozenset(e.entity_id for e in entities if e.floor == floor and e.domain in wanted)


def narrow(
    entities: Sequence[EntityInfo],
    allowed: frozenset[str],
    named: frozenset[str],
    utterance: str,
    floors: Mapping[str, tuple[str, ...]],
    speaker_area: str | None,
    question: bool,
    remembered: frozenset[str] = frozenset(),
) -> Narrowed:
    """Narrow `allowed` by the floor the request names or the room it is spoken in.

    A request that points back ("make it dimmer") means the devices of `remembered`
    (entity ids earlier turns named or acted on). A phrase for one device that fits
    several gives names to ask between instead.
    """
    query = words(utterance)
    if named:
        return Narrowed(allowed)
    if areas := _areas_named(entities, query):
        # "open the garage": the devices of the Garage, not the "Annex Garage Door".
        inside = frozenset(e.entity_id for e in entities if e.area in areas) & allowed
        return Narrowed(inside or allowed)
    if back := _pointed_back(allowed & remembered, utterance):
        return Narrowed(back)
    kinds = kinds_in(query)
    if (floor := floor_in(query, floors)) is not None:
        on_floor = _on_floor(entities, floor, kinds)
        return Narrowed(on_floor, by_place=True) if on_floor else Narrowed(allowed)
    return _in_room(entities, allowed, utterance, query, kinds, speaker_area, question)


def _in_room(
    entities: Sequence[EntityInfo],
    allowed: frozenset[str],
    utterance: str,
    query: set[str],
    kinds: set[str],
    speaker_area: str | None,
    question: bool,
) -> Narrowed:
    """Narrow `allowed` to the speaker's room; ask when one device's phrase fits several."""
    by_id = {entity.entity_id: entity for entity in entities}
    here = frozenset(i for i in allowed if i in by_id and by_id[i].area == speaker_area)
    if speaker_area is not None and here:
        allowed = here
    if question:
        return Narrowed(allowed, by_place=bool(here))
    if "todo" in kinds and not any(by_id[i].domain == "todo" for i in allowed if i in by_id):
        # The item to add names nothing in the home ("add yoghurt to the list"): the
        # lists are still what the request is about.
        allowed |= {entity.entity_id for entity in entities if entity.domain == "todo"}
    # The kinds the request names; naming none ("open the garage"), every kind it fits.
    domains = kinds or {by_id[i].domain for i in allowed if i in by_id}
    for domain in sorted(domains & ACTABLE):
        fits = [by_id[i] for i in sorted(allowed) if i in by_id and by_id[i].domain == domain]
        # A word only some of their names have decides ("the main water", "the back door").
        fits = [e for e in fits if own_words(e) & query] or fits
        if len(fits) < 2 or says_plural(utterance, domain):
            continue
        if domain == "todo" and len(preferred := default_lists(fits)) == 1:
            # "add milk to my list": the shopping or to-do list, when the home has one.
            return Narrowed(allowed - {e.entity_id for e in fits if e not in preferred})
        return Narrowed(frozenset(), tuple(sorted(entity.name for entity in fits)))
    return Narrowed(allowed, by_place=speaker_area is not None and bool(here))


def choice_question(names: Sequence[str]) -> str:
    """The question that asks which of several devices a request means."""
    return f"{_ASK_START}{', '.join(names[:-1])} or {names[-1]}?"


def choices_asked(speech: str) -> list[str] | None:
    """The device names `choice_question` asked between, or None for other speech."""
    if not speech.startswith(_ASK_START) or not speech.endswith("?"):
        return None
    first, _, last = speech[len(_ASK_START) : -1].rpartition(" or ")
    return [*first.split(", "), last] if first else None


def chosen(reply: str, choices: Sequence[str]) -> list[str]:
    """The choices a reply picks.

    All of them ("both"); else those whose whole names the reply says, the longest
    ones ("Thermostat" among "Annex Thermostat" and "Thermostat"); else those with a
    word only their names have ("the front one"); else those whose every own word is
    said ("the living room one" among "Living Room TV" and "Annex Living Room TV").
    """
    said = words(reply)
    if says_all(reply):
        return list(choices)
    whole = [name for name in choices if words(name) <= said]
    if whole := [name for name in whole if not any(words(name) < words(n) for n in whole)]:
        return whole
    shared = set.intersection(*(words(name) for name in choices)) if choices else set()
    if by_word := [name for name in choices if (words(name) - shared) & said]:
        return by_word
    return [name for name in choices if words(name) & said and words(name) - shared <= said]


def completed_request(original: str, reply: str, choices: Sequence[str]) -> str | None:
    """The request a reply to the choice question completes, or None if it picks none.

    The chosen devices are named after the request: "lock the door: Front Door".
    """
    picked = chosen(reply, choices)
    return f"{original}: {' and '.join(picked)}" if picked else None

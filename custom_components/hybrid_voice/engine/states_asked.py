"""A question about which devices of a kind are in a state, answered from the states.

"What lights are on right now?" is answered "Ceiling Light and Desk Lamp are on." from
the states, not by the model: in a big home only a few devices fit in a turn, and a
small model lists the ones it was shown, on or not. Only a question that starts its
phrase with "which"/"what" and a kind of device, and says one state, is answered so.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from .home_model import EntityInfo
from .lexicon import ReplyPhrases
from .places import spoken_tokens
from .replies import join_names
from .request import kinds_in
from .selection import words

_ASKING = frozenset({"which", "what"})
_STATES = frozenset({"on", "off", "open", "closed", "locked", "unlocked", "playing"})


def asked_states(
    utterance: str, entities: Sequence[EntityInfo], place: Sequence[EntityInfo] | None
) -> tuple[str, str, list[EntityInfo]] | None:
    """(kind word as said, state, devices of that kind in that state), or None.

    A device is of the kind by its domain or by its name ("Front Door" is a door).
    The devices are those of `place` (a floor or the speaker's room), else of the
    areas the request names, else every device of the kind in the home.
    """
    tokens = spoken_tokens(utterance)
    kind_word = next((after for before, after in pairwise(tokens) if before in _ASKING), None)
    if kind_word is None:
        return None
    states = [token for token in tokens if token in _STATES]
    kind = words(kind_word)
    domains = kinds_in(kind)
    if not domains or len(set(states)) != 1:
        return None
    said = words(utterance)
    in_areas = [entity for entity in entities if entity.area and words(entity.area) <= said]
    pool = place if place is not None else in_areas or entities
    devices = [e for e in pool if e.domain in domains or kind & words(e.name)]
    if not devices:
        return None
    return kind_word, states[0], [entity for entity in devices if entity.state == states[0]]


def states_answer(
    kind_word: str, state: str, devices: Sequence[EntityInfo], phrases: ReplyPhrases
) -> str:
    """The answer: `Ceiling Light and Desk Lamp are on.`, or `No lights are on.`."""
    if not devices:
        return phrases.reasons["none_in_state"].format(kind=kind_word, state=state)
    names = join_names(sorted(entity.name for entity in devices), phrases.and_word)
    key = "one_in_state" if len(devices) == 1 else "some_in_state"
    return phrases.reasons[key].format(names=names, state=state)

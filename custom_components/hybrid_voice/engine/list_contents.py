"""What is on a to-do list, said from the list itself.

"What's on the DIY list?" is answered with the list's open items, not by the model: a
small model shown "DIY: to do: paint" still answers "There are items on the DIY list".
The list is the one whose own name word the question says ("jobs" of "Farm Jobs"), else
the shopping (or to-do) list, else the only list; with several and none of those, the
model answers.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from .home_model import EntityInfo
from .lexicon import ReplyPhrases
from .places import default_lists, own_words
from .replies import join_names
from .request import kinds_in
from .selection import words


def asked_list(
    entities: Sequence[EntityInfo], allowed: Collection[str], utterance: str
) -> EntityInfo | None:
    """The to-do list a question about lists asks the contents of, or None."""
    query = words(utterance)
    if "todo" not in kinds_in(query):
        return None
    every = [entity for entity in entities if entity.domain == "todo"]
    lists = [entity for entity in every if entity.entity_id in allowed] or every
    picks = [entity for entity in lists if own_words(entity) & query]
    picks = picks or default_lists(lists) or lists
    return picks[0] if len(picks) == 1 else None


def list_contents(entity: EntityInfo, phrases: ReplyPhrases) -> str | None:
    """What is on the list, or None when its items were not read."""
    if entity.items:
        items = join_names(entity.items, phrases.and_word)
        return phrases.reasons["list_items"].format(name=entity.name, items=items)
    if entity.state == "0":
        return phrases.reasons["list_empty"].format(name=entity.name)
    return None  # it has items, but they could not be read

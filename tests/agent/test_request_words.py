"""Words of a request that name nothing in the home, and those that do. No Home Assistant."""

from __future__ import annotations

from custom_components.hybrid_voice.engine.home_model import EntityInfo

from .requests import english, targets_of

FRONT = EntityInfo("lock.front_door", "Front Door", "lock", "Hall")
BACK = EntityInfo("lock.back_door", "Back Door", "lock", "Kitchen")
BLINDS = EntityInfo("cover.lounge_blinds", "Lounge Blinds", "cover", "Lounge")
HOME = [FRONT, BACK, BLINDS]


def test_the_plural_of_a_word_the_home_knows_is_known() -> None:
    assert english("lock the doors", HOME).unknown == frozenset()
    assert english("lower the blind", HOME).unknown == frozenset()
    assert targets_of(HOME, "lock the doors").allowed == {FRONT.entity_id, BACK.entity_id}


def test_a_word_that_names_nothing_stays_unknown_in_either_number() -> None:
    assert english("unlock the shed", HOME).unknown == {"shed"}
    assert english("unlock the sheds", HOME).unknown == {"sheds"}
    assert targets_of(HOME, "unlock the shed").allowed == frozenset()


def test_a_contraction_with_are_does_not_start_a_question() -> None:
    assert not english("we're out of yoghurt, add it to my list").question
    assert not english("we\u2019re out of milk, add it to the list").question
    assert english("were the lights on?").question
    assert english("what's on the list?").question

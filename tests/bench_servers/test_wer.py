"""Word error rate: what counts as the same words, and how errors are counted."""

from __future__ import annotations

import pytest

from bench.wer import corpus_wer, edit_distance, normalize, number_words, word_errors


def test_case_punctuation_and_number_spellings_do_not_count_as_errors() -> None:
    reference = "Turn on the kitchen lights and set them to fifty percent."
    assert word_errors(reference, " turn on the Kitchen lights, and set them to 50%").errors == 0
    assert word_errors("Set a timer for ten minutes.", "Set a timer for 10 minutes").errors == 0
    assert normalize("It's twenty-one degrees") == ["it's", "twenty", "one", "degrees"]
    assert normalize("It\u2019s 21 degrees") == ["it's", "twenty", "one", "degrees"]


def test_numbers_in_words() -> None:
    assert number_words(0) == ["zero"]
    assert number_words(13) == ["thirteen"]
    assert number_words(40) == ["forty"]
    assert number_words(99) == ["ninety", "nine"]
    with pytest.raises(ValueError, match="out of range"):
        number_words(100)


def test_substitutions_insertions_and_deletions_are_counted() -> None:
    assert edit_distance(["a", "b", "c"], ["a", "x", "c"]) == 1
    assert edit_distance(["a", "b", "c"], ["a", "b", "c", "d"]) == 1
    assert edit_distance(["a", "b", "c"], ["b", "c"]) == 1
    assert edit_distance([], ["a", "b"]) == 2
    counted = word_errors("Dim the dining room lights", "Then the dining room light")
    assert (counted.errors, counted.words) == (2, 5)
    assert counted.rate == pytest.approx(0.4)


def test_empty_transcript_is_all_deletions_and_empty_reference_is_handled() -> None:
    assert word_errors("close the garage door", "").rate == 1.0
    assert word_errors("", "").rate == 0.0
    assert word_errors("", "hello").rate == float("inf")


def test_corpus_rate_weighs_clips_by_their_words() -> None:
    counted = corpus_wer([("one two three four", "one two three four"), ("a b", "a c")])
    assert (counted.errors, counted.words) == (1, 6)
    assert counted.rate == pytest.approx(1 / 6)

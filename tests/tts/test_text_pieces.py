"""How replies are cut into the pieces the voice speaks (no server needed)."""

from __future__ import annotations

import pytest

from wyoming_servers.tts.text_pieces import TextPieces, is_speakable

REPLY = (
    "Text to speech is a fascinating field. Modern neural models produce remarkably "
    "natural audio. We benchmark them to compare performance."
)


def whole(text: str, **options: bool | int) -> list[str]:
    pieces = TextPieces(**options)  # type: ignore[arg-type]
    return pieces.add(text) + pieces.finish()


def streamed(text: str, step: int) -> list[str]:
    pieces = TextPieces()
    out: list[str] = []
    for start in range(0, len(text), step):
        out += pieces.add(text[start : start + step])
    return out + pieces.finish()


def words(text: str) -> list[str]:
    return [w.strip(",") for w in text.split()]


def test_first_phrase_is_short_and_the_rest_are_sentences() -> None:
    assert whole(REPLY) == [
        "Text to speech,",
        "is a fascinating field.",
        "Modern neural models produce remarkably natural audio.",
        "We benchmark them to compare performance.",
    ]


def test_a_leading_clause_is_the_first_piece() -> None:
    assert whole("Sure, I turned on the kitchen light. Anything else?") == [
        "Sure,",
        "I turned on the kitchen light.",
        "Anything else?",
    ]


def test_short_replies_stay_whole() -> None:
    assert whole("Done.") == ["Done."]
    assert whole("Turning on the light.") == ["Turning on the light."]
    assert whole(REPLY, short_first=False)[0] == "Text to speech is a fascinating field."


@pytest.mark.parametrize("step", [1, 3, 7, 40])
def test_streamed_text_gives_the_same_pieces(step: int) -> None:
    assert streamed(REPLY, step) == whole(REPLY)


def test_a_sentence_is_ready_before_the_text_ends() -> None:
    pieces = TextPieces(short_first=False)
    assert pieces.add("The light is on") == []
    assert pieces.add(".") == []  # "on.5" would not end it: wait for the next character
    assert pieces.add(" And the") == ["The light is on."]
    assert pieces.add(" door") == []
    assert pieces.finish() == ["And the door"]


def test_no_word_is_lost_or_repeated() -> None:
    text = (
        "Dr. Smith arrives at 5 p.m. today; the budget is 3.5 million, e.g. for roads. "
        "Here is the list:\n1. Milk\n2. Eggs\n\nSo that is it "
    ) * 20 + "and the last words have no full stop"
    for step in (1, 5, 64):
        assert words(" ".join(streamed(text, step))) == words(text)


def test_abbreviations_decimals_and_initials_do_not_end_sentences() -> None:
    assert whole("Dr. Smith met J. R. Jones at 3.5 p.m. today. Bye.", short_first=False) == [
        "Dr. Smith met J. R. Jones at 3.5 p.m. today.",
        "Bye.",
    ]


def test_long_run_on_sentences_are_cut_at_clauses() -> None:
    text = ", ".join(["the lights in the hall are on"] * 20) + "."
    pieces = whole(text, short_first=False, max_chars=110)
    assert len(pieces) > 5
    assert all(len(piece) <= 110 for piece in pieces)
    assert all(piece.endswith((",", ".")) for piece in pieces)
    assert words(" ".join(pieces)) == words(text)


def test_words_without_any_break_are_still_cut() -> None:
    pieces = whole("word " * 200, max_chars=110)
    assert all(len(piece) <= 110 for piece in pieces)
    assert sum(len(piece.split()) for piece in pieces) == 200


@pytest.mark.parametrize("text", ["", "   ", "...", "?!", " - * - ", "\n\n"])
def test_nothing_speakable_gives_no_pieces(text: str) -> None:
    assert whole(text) == []
    assert not is_speakable(text)

"""Cut text into the pieces the voice speaks one after another.

Text arrives whole or in small streamed deltas. A piece is ready as soon as its end is
known: a sentence end followed by whitespace, a line break, or (for very long run-on
sentences) a clause or word boundary before `max_chars`. The first piece of a request
is kept short: a leading clause ("Sure, ...") or the first few words before a natural
phrase break ("The kitchen light | is now on."), so the first audio is ready early.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Closing quotes and brackets that may follow punctuation (ASCII and typographic).
_CLOSERS = "\"'\u201d\u2019\u00bb)\\]"
# Sentence end: terminal punctuation or an ellipsis, closers, then whitespace; CJK full
# stops need no whitespace; a line break always ends a piece.
_SENTENCE_END = re.compile(f"[.!?\u2026]+[{_CLOSERS}]*(?=\\s)|[\u3002\uff01\uff1f]+|\n")
# Clause end: comma, semicolon or colon then whitespace, or a spaced dash of any width.
_CLAUSE_END = re.compile(f"[,;:][{_CLOSERS}]*(?=\\s)|\\s[-\u2013\u2014](?=\\s)")
_WORD = re.compile(r"\S+")
_EDGE_PUNCTUATION = "\"'\u201c\u201d\u2018\u2019()[]\u00ab\u00bb.,;:!?"

ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "e.g", "i.e", "no", "approx"}
)
# Words that usually begin a new phrase, so a cut before them sounds natural.
PHRASE_STARTERS = frozenset(
    " ".join(
        (
            "is are was were will would can could should shall may might must has have had",
            "does did and but or so because that which who whom whose when where while if",
            "then than to for with without in on at from by of about into onto after before",
            "during until since as like through over under between",
        )
    ).split()
)


def is_speakable(text: str) -> bool:
    """True when the text has something to say (a letter or digit), not only punctuation."""
    return any(char.isalnum() for char in text)


def _tidy(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class FirstPhrase:
    """Where the short first piece may be cut (word counts)."""

    min_words: int = 3  # words before a phrase-starting word
    max_words: int = 6
    min_rest: int = 3  # words that must follow that cut
    clause_max_words: int = 8  # a leading clause ending in , ; : or a dash
    clause_min_rest: int = 2


FIRST_PHRASE = FirstPhrase()


class TextPieces:
    """Incremental splitter: `add()` text as it arrives, `finish()` at the end."""

    def __init__(self, short_first: bool = True, max_chars: int = 110) -> None:
        # Cutting looks only at `_buffer`, a window of at most `_window` characters
        # refilled from `_backlog`, so each piece costs the same however long the text
        # (a million characters without a space included).
        self._buffer = ""
        self._backlog = ""
        self._taken = 0  # characters of the backlog already moved into the window
        self._first_phrase = FIRST_PHRASE if short_first else None
        self._max_chars = max_chars
        self._window = max(4 * max_chars, 512)

    @property
    def pending(self) -> str:
        """Text received but not yet handed out as a piece."""
        return self._buffer + self._backlog[self._taken :]

    def add(self, text: str) -> list[str]:
        """Take more text; return the pieces whose end is now known."""
        self.feed(text)
        return list(self._pieces(final=False))

    def feed(self, text: str) -> None:
        """Take more text without cutting it yet (`remaining()` cuts it as it goes)."""
        self._backlog = self._backlog[self._taken :] + text
        self._taken = 0

    def finish(self) -> list[str]:
        """No more text will come: return everything still buffered."""
        return list(self.remaining())

    def remaining(self) -> Iterator[str]:
        """No more text will come: the pieces still buffered, each cut when asked for."""
        self.feed("\n")
        yield from self._pieces(final=True)
        self._buffer = ""

    def _pieces(self, final: bool) -> Iterator[str]:
        while True:
            self._refill()
            self._buffer = self._buffer.lstrip()
            cut = self._next_cut(final and self._taken == len(self._backlog))
            if cut is None:
                return
            piece, self._buffer = self._buffer[:cut], self._buffer[cut:]
            piece = _tidy(piece)
            if is_speakable(piece):
                if self._first_phrase is not None and piece[-1].isalnum():
                    piece += ","  # a phrase break, spoken with continuing intonation
                self._first_phrase = None
                yield piece

    def _refill(self) -> None:
        """Top the window up from the backlog."""
        room = self._window - len(self._buffer)
        if room > 0 and self._taken < len(self._backlog):
            self._buffer += self._backlog[self._taken : self._taken + room]
            self._taken = min(len(self._backlog), self._taken + room)
            if self._taken == len(self._backlog):
                self._backlog, self._taken = "", 0

    def _next_cut(self, final: bool) -> int | None:
        if not self._buffer:
            return None
        sentence_end = self._sentence_end()
        if self._first_phrase is not None:
            first = self._first_phrase_cut(sentence_end, final)
            if first is not None:
                return first
        if sentence_end is not None and sentence_end <= self._max_chars:
            return sentence_end
        if sentence_end is not None or len(self._buffer) > self._max_chars:
            return self._long_sentence_cut()
        return None

    def _sentence_end(self) -> int | None:
        for match in _SENTENCE_END.finditer(self._buffer):
            if match.group().startswith(".") and self._is_abbreviation(match.start()):
                continue
            return match.end()
        return None

    def _is_abbreviation(self, dot: int) -> bool:
        following = self._buffer[dot:].lstrip(". \t" + _CLOSERS)
        if following[:1].islower():  # "approx. five", "at 5 p.m. today"
            return True
        words = self._buffer[:dot].split()
        if not words:
            return False
        word = words[-1].lstrip(_EDGE_PUNCTUATION).lower()
        if word in ABBREVIATIONS:
            return True
        if len(word) == 1 and word.isalpha():  # an initial: "J. R. R. Tolkien"
            return True
        # "1. Turn on the light" at the start of a line is a list number
        at_line_start = dot == len(word) or self._buffer[dot - len(word) - 1] == "\n"
        return word.isdigit() and at_line_start

    def _first_phrase_cut(self, sentence_end: int | None, final: bool) -> int | None:
        """A cut that makes the first piece short, or None (then give up on it when sure)."""
        rules = self._first_phrase
        assert rules is not None
        segment = self._buffer[: sentence_end if sentence_end is not None else len(self._buffer)]
        words = list(_WORD.finditer(segment))
        if sentence_end is None and not final and segment and not segment[-1].isspace():
            words = words[:-1]  # the last word may still grow
        complete = sentence_end is not None or final
        for index, word in enumerate(words[: rules.clause_max_words]):
            clause = _CLAUSE_END.match(segment, word.end() - 1) or _CLAUSE_END.match(
                segment, word.end()
            )
            if clause and len(words) - index - 1 >= rules.clause_min_rest:
                return word.end()
        for index in range(rules.min_words, min(rules.max_words, len(words) - 1) + 1):
            starter = words[index].group().strip(_EDGE_PUNCTUATION).lower()
            if starter in PHRASE_STARTERS and len(words) - index >= rules.min_rest:
                return words[index - 1].end()
        settled = len(words) >= max(rules.max_words, rules.clause_max_words) + rules.min_rest
        if complete or settled:
            self._first_phrase = None
        return None

    def _long_sentence_cut(self) -> int:
        """A run-on sentence longer than max_chars: cut at its last clause or word break."""
        window = self._buffer[: self._max_chars]
        clauses = [m.end() for m in _CLAUSE_END.finditer(window) if m.end() > len(window) // 3]
        if clauses:
            return clauses[-1]
        space = window.rfind(" ")
        return space if space > 0 else len(window)

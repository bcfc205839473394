"""What the router's signs look at, worked out once per utterance (`Clues`)."""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon.router_words import RouterWords
from .router_reading import HomeVocabulary, NameMention, Reading, fold


@dataclass(frozen=True)
class Clues:
    """What every sign looks at, worked out once per utterance."""

    reading: Reading
    words: RouterWords
    home: HomeVocabulary
    question: bool  # starts like a question ("what", "is", "can")
    state: bool  # says a state ("on", "locked", "still")
    knowledge: bool  # asks about the world ("who invented", "how far", "made of")
    mentions: tuple[NameMention, ...]
    elsewhere: bool  # names a place that is not the home's ("on venus", "in tokyo")

    @classmethod
    def of(cls, reading: Reading, words: RouterWords, home: HomeVocabulary) -> Clues:
        """The clues of one reading in one home."""
        return cls(
            reading,
            words,
            home,
            question=reading.said[0] in words.question_starts,
            state=_says_state(reading, words),
            knowledge=reading.opening(words.knowledge_openings) or reading.contains(words.made_of),
            mentions=tuple(reading.names(home)),
            elsewhere=_elsewhere(reading, words, home),
        )

    @property
    def named(self) -> set[int]:
        """Positions of words that belong to a name of the home."""
        return {index for m in self.mentions for index in range(m.start, m.end)}

    @property
    def lead(self) -> str:
        """The first word after the lead fillers."""
        return self.reading.said[self.reading.start]


def _elsewhere(reading: Reading, words: RouterWords, home: HomeVocabulary) -> bool:
    """A place the home is not ("the weather on mars", "the temperature in london")."""
    for word, after in zip(reading.said, reading.said[1:], strict=False):
        if word in words.place_prepositions and not (
            after in words.near_words
            or after in words.place_words
            or after.isdigit()
            or fold(after) in home.phrases
        ):
            return True
    return False


def _says_state(reading: Reading, words: RouterWords) -> bool:
    """A state word, but not a preposition that reads like one ("flicker on camera")."""
    for index, word in enumerate(reading.said):
        if word not in words.state_words:
            continue
        after = reading.said[index + 1 : index + 2]
        if word not in words.state_prepositions or not after or after[0] in words.after_state:
            return True
    return False

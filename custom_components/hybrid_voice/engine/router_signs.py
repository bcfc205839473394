"""The signs the router reads in an utterance: of the home, of a general request.

Each sign is a short reason ("names kitchen light", "asks for a joke") or "" when the
utterance does not show it; the router turns the first sign it finds into a decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .lexicon.router_words import RouterWords
from .router_reading import HomeVocabulary, NameMention, Reading, fold

_DETERMINERS = frozenset(
    {"the", "my", "our", "your", "this", "that", "these", "those", "all", "any", "every"}
    | {"each", "both", "some", "there"}
)
# The speaker's own things: "my tv" and "our power" are the home's even in "how do ...".
_OWN = frozenset({"my", "our", "we", "i", "us", "me"})
_PRONOUNS = frozenset({"it", "they", "them"})


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
    """ "the weather on mars", "the temperature in london": a place the home is not."""
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


def _names(clues: Clues) -> str:
    for mention in clues.mentions:
        if not _generic_name(clues, mention):
            return "names " + " ".join(clues.reading.said[mention.start : mention.end])
    return ""


def _generic_name(clues: Clues, mention: NameMention) -> bool:
    """Whether a name means anything of its kind ("a greenhouse", "who invented the
    coffee maker", "how far is the moon") rather than the home's own."""
    said, words = clues.reading.said, clues.words
    before = said[mention.start - 1] if mention.start else ""
    if _any_such(clues, mention.start) or clues.reading.opening(words.origin_openings):
        return True
    if mention.said_plural and not mention.phrase.plural and before not in _DETERMINERS:
        return clues.knowledge or not clues.state
    return clues.knowledge and not clues.state and len(mention.phrase.words) == 1


def _name_word(clues: Clues) -> str:
    """A word of a name said as a thing of its own ("the well" for Well Pump)."""
    reading, named = clues.reading, clues.named
    if (clues.knowledge or clues.elsewhere) and not clues.state:
        return ""
    for index in range(1, len(reading.folded)):
        if (
            index not in named
            and reading.said[index - 1] in _DETERMINERS
            and reading.folded[index] in clues.home.name_words
            and reading.said[index] not in clues.words.function_words
        ):
            return f"a word of a device's name ({reading.said[index]!r})"
    return ""


def _order(clues: Clues) -> str:
    lead = clues.lead
    if len(lead) > 5 and lead.endswith("ing"):  # "would you mind locking up"
        stem = lead[:-3]
        lead = stem[:-1] if stem[-1] == stem[-2] else stem + ("e" if stem[-1] in "sv" else "")
    return f"an order ({clues.lead!r})" if lead in clues.words.command_verbs else ""


def _setting(clues: Clues) -> str:
    """ "lights off", "soundbar louder", "mercury to 20" (not in a question)."""
    said, words = clues.reading.said, clues.words
    end = len(said)
    while end > 1 and said[end - 1] in words.tail_fillers:
        end -= 1
    last, before = said[end - 1], said[end - 2] if end > 1 else ""
    if clues.question or not (last in words.setting_words or (last.isdigit() and before == "to")):
        return ""
    return f"sets something ({last!r})"


def _indirect_phrase(clues: Clues) -> str:
    found = clues.reading.contains(clues.words.indirect_phrases)
    return "asks the home for something" if found else ""


def _device_or_place(clues: Clues) -> str:
    """A device noun said of a particular device, or a place in the home."""
    reading, words, named = clues.reading, clues.words, clues.named
    own = reading.has(_OWN) is not None
    for index, word in enumerate(reading.folded):
        said = reading.said[index]
        if index in named or _any_such(clues, index):
            continue
        if word in words.place_words or said in words.place_words:
            return f"a place in the home ({said!r})"
        if word in words.place_nouns and _the_home(clues, index):
            return f"a place in the home ({said!r})"
        if (word not in words.device_nouns and said not in words.device_nouns) or reading.said[
            index + 1 : index + 2
        ] == ("of",):  # "the speed of light", "the power of ten"
            continue
        if (clues.elsewhere or _topic(clues, index)) and not (clues.state or own):
            continue
        particular = _determined(clues, index) and not clues.knowledge
        if particular or clues.state or own or not (clues.question or clues.knowledge):
            return f"a device ({said!r})"
    return ""


def _any_such(clues: Clues, index: int) -> bool:
    """ "a greenhouse", "a smart thermostat", "a cold": any such thing, not the home's."""
    said, words = clues.reading.said, clues.words
    if index and said[index - 1] in words.indefinite_articles:
        return True
    between = clues.reading.folded[index - 1] if index > 1 else ""
    return (
        index > 1
        and said[index - 2] in words.indefinite_articles
        and between not in clues.home.name_words
        and between not in words.device_nouns
    )


def _topic(clues: Clues, index: int) -> bool:
    """ "a joke about coffee", "a song about tv": a subject to talk about, not a device."""
    said = clues.reading.said
    return any(word in clues.words.topic_words for word in said[:index]) and not _determined(
        clues, index
    )


def _determined(clues: Clues, index: int) -> bool:
    """ "the lamp", "my tv", "the tv volume"; not "the best music"."""
    said, folded = clues.reading.said, clues.reading.folded
    if index and said[index - 1] in _DETERMINERS:
        return True
    between = folded[index - 1] if index > 1 else ""
    return (
        index > 1
        and said[index - 2] in _DETERMINERS
        and (between in clues.home.name_words or between in clues.words.device_nouns)
    )


def _the_home(clues: Clues, index: int) -> bool:
    """ "the house", "at home", "our flat", or "who is home" (a place noun at the end)."""
    said, words = clues.reading.said, clues.words
    if index and (said[index - 1] in _DETERMINERS or said[index - 1] in ("at", "in")):
        return not clues.knowledge or said[index - 1] in _OWN
    return all(word in words.tail_fillers for word in said[index + 1 :])


def _statement(clues: Clues) -> str:
    """How a room or a person is, or a routine ("movie time"), said as a statement."""
    reading = clues.reading
    if clues.question or clues.lead in clues.words.general_verbs:
        return ""
    if (found := reading.has(clues.words.indirect_words)) is not None:
        return f"says how things are ({reading.said[found]!r})"
    body = reading.said[reading.start :]
    if (len(body) <= 3 and body[-1] == "time" and body[0] != "what") or (
        len(body) > 1 and body[0] == "time" and body[1] in ("to", "for")
    ):
        return "asks for a routine"
    return ""


def _personal(clues: Clues) -> str:
    """The user's own day (time, timers, weather here), unless a far place is named."""
    reading, words = clues.reading, clues.words
    found = reading.has(words.personal_words)
    if found and reading.said[found - 1] in words.indefinite_articles:
        found = None
    if found is None and not reading.contains(words.personal_phrases):
        return ""
    return "" if clues.elsewhere else "about the user's own day"


def _only_states(clues: Clues) -> str:
    """ "is it on", "what is still open", "is everything off": a state and no thing."""
    words = clues.words
    plain = words.question_starts | words.state_words | words.tail_fillers | words.place_words
    if (
        clues.question
        and clues.state
        and all(word in plain or word in _PRONOUNS for word in clues.reading.said)
    ):
        return "asks for a state"
    return ""


# Signs that hold whatever else the utterance says, then signs a joke request outweighs
# ("tell me a joke about robots", "tell the kids a joke").
FIRM_HOME_SIGNS: tuple[Callable[[Clues], str], ...] = (
    *(_names, _order, _setting, _indirect_phrase),
)
SOFT_HOME_SIGNS: tuple[Callable[[Clues], str], ...] = (
    *(_name_word, _device_or_place, _statement, _personal, _only_states),
)


def home_sign(clues: Clues) -> str:
    """Why the utterance is about the home, or "" when nothing says so."""
    joke = clues.reading.has(clues.words.joke_words) is not None
    checks = FIRM_HOME_SIGNS if joke else FIRM_HOME_SIGNS + SOFT_HOME_SIGNS
    return next((sign for check in checks if (sign := check(clues))), "")


def weak_home_sign(clues: Clues) -> str:
    """Signs too weak to keep a clearly general request local."""
    reading, words = clues.reading, clues.words
    if (found := reading.has(clues.home.name_words - words.function_words)) is not None:
        return f"a word of a device's name ({reading.said[found]!r})"
    if clues.lead in words.weak_command_verbs and reading.said[0] not in words.remark_subjects:
        return f"may be an order ({clues.lead!r})"
    return "a name of the home, said of anything" if clues.mentions else ""


def _maths(clues: Clues) -> bool:
    reading, words = clues.reading, clues.words
    numbers = sum(1 for w in reading.said if w[0].isdigit() or w in words.number_words)
    operators = reading.has(words.maths_words) is not None
    units = reading.has(words.unit_words) is not None
    return (numbers >= 1 and (operators or units)) or (
        reading.opening(frozenset({"how many"})) and units
    )


def general_sign(clues: Clues) -> str:
    """Why the utterance is general (the world, talk, jokes, sums), or ""."""
    reading, words = clues.reading, clues.words
    signs = (
        (reading.has(words.joke_words) is not None, "asks for a joke"),
        (_maths(clues), "arithmetic or units"),
        (reading.opening(words.chitchat_phrases, 0), "chit-chat"),
        (reading.opening(words.chitchat_phrases), "chit-chat"),
        (reading.opening(words.assistant_openings), "talks to the assistant"),
        (clues.question or clues.lead in words.question_starts, "a general question"),
        (clues.lead in words.general_verbs, "a general request"),
    )
    return next((reason for shown, reason in signs if shown), "")


def leans_back(clues: Clues) -> bool:
    """Whether the utterance only makes sense after the previous turn."""
    reading, words = clues.reading, clues.words
    return (
        len(reading.said) <= 3
        or reading.opening(words.follow_up_openings, 0)
        or reading.has(words.back_references) is not None
    )

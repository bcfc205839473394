"""The signs the router reads in an utterance: of the home, of a general request.

Each sign is a short reason ("names kitchen light", "asks for a joke") or "" when the
utterance does not show it; the router turns the first sign it finds into a decision.
"""

from __future__ import annotations

from collections.abc import Callable

from .router_clues import Clues
from .router_reading import NameMention


def _names(clues: Clues) -> str:
    for mention in clues.mentions:
        if not _generic_name(clues, mention):
            return "names " + " ".join(clues.reading.said[mention.start : mention.end])
    return ""


def _generic_name(clues: Clues, mention: NameMention) -> bool:
    """Whether a name means anything of its kind rather than the home's own.

    "a greenhouse", "who invented the coffee maker", "how far is the moon".
    """
    said, words = clues.reading.said, clues.words
    before = said[mention.start - 1] if mention.start else ""
    if _any_such(clues, mention.start) or clues.reading.opening(words.origin_openings):
        return True
    if mention.said_plural and not mention.phrase.plural and before not in clues.words.determiners:
        return clues.knowledge or not clues.state
    one_device_word = len(mention.phrase.words) == 1 and not mention.phrase.place
    return clues.knowledge and not clues.state and one_device_word


def _name_word(clues: Clues) -> str:
    """A word of a name said as a thing of its own ("the well" for Well Pump)."""
    reading, named = clues.reading, clues.named
    if (clues.knowledge or clues.elsewhere) and not clues.state:
        return ""
    for index in range(1, len(reading.folded)):
        if (
            index not in named
            and reading.said[index - 1] in clues.words.determiners
            and reading.folded[index] in clues.home.name_words
            and reading.said[index] not in clues.words.function_words
        ):
            return f"a word of a device's name ({reading.said[index]!r})"
    return ""


def _order(clues: Clues) -> str:
    return f"an order ({clues.lead!r})" if clues.lead in clues.words.command_verbs else ""


def _setting(clues: Clues) -> str:
    """An ending that sets a device ("lights off", "mercury to 20"), not in a question."""
    said, words = clues.reading.said, clues.words
    end = len(said)
    while end > 1 and said[end - 1] in words.tail_fillers:
        end -= 1
    last, before = said[end - 1], said[end - 2] if end > 1 else ""
    to_value = last.isdigit() and before in words.value_prepositions
    if clues.question or not (last in words.setting_words or to_value):
        return ""
    return f"sets something ({last!r})"


def _indirect_phrase(clues: Clues) -> str:
    found = clues.reading.contains(clues.words.indirect_phrases)
    return "asks the home for something" if found else ""


def _device_or_place(clues: Clues) -> str:
    """A device noun said of a particular device, or a place in the home."""
    reading, words, named = clues.reading, clues.words, clues.named
    own = reading.has(clues.words.own_words) is not None
    for index, word in enumerate(reading.folded):
        said = reading.said[index]
        if index in named or _any_such(clues, index):
            continue
        if word in words.place_words or said in words.place_words:
            return f"a place in the home ({said!r})"
        if word in words.place_nouns and _the_home(clues, index):
            return f"a place in the home ({said!r})"
        after = reading.said[index + 1] if index + 1 < len(reading.said) else ""
        if (word not in words.device_nouns and said not in words.device_nouns) or (
            after in words.of_words  # "the speed of light", "the power of ten"
        ):
            continue
        if (clues.elsewhere or _topic(clues, index)) and not (clues.state or own):
            continue
        particular = _determined(clues, index) and not clues.knowledge
        if particular or clues.state or own or not (clues.question or clues.knowledge):
            return f"a device ({said!r})"
    return ""


def _any_such(clues: Clues, index: int) -> bool:
    """Any such thing, not the home's ("a greenhouse", "a smart thermostat")."""
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
    """A subject to talk about, not a device ("a joke about coffee")."""
    said = clues.reading.said
    return any(word in clues.words.topic_words for word in said[:index]) and not _determined(
        clues, index
    )


def _determined(clues: Clues, index: int) -> bool:
    """Said of one device ("the lamp", "my tv", "the tv volume"; not "the best music")."""
    said, folded = clues.reading.said, clues.reading.folded
    if index and said[index - 1] in clues.words.determiners:
        return True
    between = folded[index - 1] if index > 1 else ""
    return (
        index > 1
        and said[index - 2] in clues.words.determiners
        and (between in clues.home.name_words or between in clues.words.device_nouns)
    )


def _the_home(clues: Clues, index: int) -> bool:
    """This home ("the house", "at home", "our flat", "who is home"), not any home."""
    said, words = clues.reading.said, clues.words
    if index and (
        said[index - 1] in words.determiners or said[index - 1] in words.place_prepositions
    ):
        return not clues.knowledge or said[index - 1] in clues.words.own_words
    return all(word in words.tail_fillers for word in said[index + 1 :])


def _statement(clues: Clues) -> str:
    """How a room or a person is, or a routine ("movie time"), said as a statement."""
    reading = clues.reading
    if clues.question or clues.lead in clues.words.general_verbs:
        return ""
    if (found := reading.has(clues.words.indirect_words)) is not None:
        return f"says how things are ({reading.said[found]!r})"
    body = reading.said[reading.start :]
    routine = clues.words.routine_words
    if (len(body) <= 3 and body[-1] in routine) or (
        len(body) > 1 and body[0] in routine and body[1] in clues.words.routine_links
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


def _asks_state(clues: Clues) -> str:
    """A question that ends on a state, or asks how it feels here.

    "is the baby monitor on", "what is still open", "how warm is it".
    """
    said, words = clues.reading.said, clues.words
    if not clues.question:
        return ""
    end = len(said)
    while end > 1 and said[end - 1] in words.tail_fillers:
        end -= 1
    if said[end - 1] in words.state_words:
        return f"asks for a state ({said[end - 1]!r})"
    feels = clues.reading.has(words.indirect_words) is not None
    if feels and clues.reading.has(words.pronouns) is not None and not clues.elsewhere:
        return "asks how it is here"
    return ""


# Signs that hold whatever else the utterance says, then signs a joke request outweighs
# ("tell me a joke about robots", "tell the kids a joke").
FIRM_HOME_SIGNS: tuple[Callable[[Clues], str], ...] = (
    *(_names, _order, _setting, _indirect_phrase),
)
SOFT_HOME_SIGNS: tuple[Callable[[Clues], str], ...] = (
    *(_name_word, _device_or_place, _statement, _personal, _asks_state),
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
        reading.opening(words.count_openings) and units
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

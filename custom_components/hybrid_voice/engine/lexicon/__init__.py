"""Every word list and phrase that depends on the language, one module per language.

`lexicon_for("en-GB")` finds `en.py`; adding a language is adding a module that
defines `LEXICON` (every module here is read once, when the package is imported, so no
import happens while a request is handled). Code that needs words for a language
without a lexicon decides its own fallback (English phrases, or no word-based help).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReplyPhrases:
    """What the agent says in one language when it speaks for itself."""

    # "I couldn't do that: " before the reason of a failure.
    failure_prefix: str
    # Reasons by key: "nothing_heard", "too_long", "model_timeout", "model_unreachable",
    # "model_failed", "action_failed", "no_device_matched", "something_went_wrong",
    # "did_not_respond" (with {names}), "already" (a sentence, with {name} and
    # {state}), "not_done" (a command answered in words only), "list_items" (with
    # {name} and {items}) and "list_empty" (with {name}): what is on a to-do list;
    # "reading" (with {name} and {value}): a sensor's state; "one_in_state",
    # "some_in_state" (with {names} and {state}) and "none_in_state" (with {kind} and
    # {state}): which devices of a kind are in a state.
    reasons: Mapping[str, str]
    # Home Assistant's target-matching failures (MatchFailedReason names) in words.
    match_failures: Mapping[str, str]
    # The verb of a confirmation by (tool, domain); domain None is the tool's default.
    done_verbs: Mapping[tuple[str, str | None], str]
    # Tool arguments worth repeating in a confirmation, with how to say them ("{}").
    done_details: Mapping[str, str]
    done: str  # a call that does not say what it changed
    and_word: str  # between the last two names of a list


@dataclass(frozen=True)
class Lexicon:
    """The words of one language that the pure core reads requests with."""

    language: str
    # Lower-case words that carry no meaning for finding a device ("the", "please").
    stop_words: frozenset[str]
    # First words of a question about the home ("what", "is"); polite commands
    # ("can you ...") do not start with one of these.
    question_starts: frozenset[str]
    # Words that say what to do or how, not which device ("open", "bit", "now").
    command_words: frozenset[str]
    # Words that point at a kind of device without naming one, by domain.
    kind_words: Mapping[str, tuple[str, ...]]
    # Words that move a value one way (+1 or -1) when no amount is said ...
    direction_words: Mapping[int, tuple[str, ...]]
    # ... the same after `too_word` ("too dim" means brighter) ...
    too_word: str
    too_direction_words: Mapping[int, tuple[str, ...]]
    # ... and words that say how much, with which the model's value stands.
    amount_words: frozenset[str] = field(default_factory=frozenset)
    # Words that mean every device a phrase fits ("all", "both"), and plurals that name
    # one thing ("the blinds"): a singular phrase that fits several devices is asked about.
    all_words: frozenset[str] = field(default_factory=frozenset)
    one_thing_plurals: frozenset[str] = field(default_factory=frozenset)
    # Words of the names of the lists a request means when it names none, most likely
    # first: a shopping list, then a to-do list.
    default_list_words: tuple[frozenset[str], ...] = ()
    # Per Home Assistant intent (or "intent domain"): the words that ask for the opposite
    # and the words of the intent itself; an action whose request says only the opposite
    # is never run ("stop the vacuum" is not HassVacuumStart).
    opposite_words: Mapping[str, tuple[frozenset[str], frozenset[str]]] = field(
        default_factory=dict
    )
    # Words of a verb only some kinds of device have, with the plan verb they ask for
    # ("shut": close), and the words of switching a device on or off or of joining two
    # commands: a request with the first and none of the others acts only on devices
    # that have that verb ("open the garage" opens the garage door, not the light).
    kind_verbs: Mapping[str, str] = field(default_factory=dict)
    switch_words: frozenset[str] = field(default_factory=frozenset)
    joining_words: frozenset[str] = field(default_factory=frozenset)
    # Nouns of a kind of device's classes, by domain ("garage door" for a cover).
    class_nouns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # What the agent says for itself; None: English phrases.
    replies: ReplyPhrases | None = None
    # What a binary sensor's on and off mean, by device class ("door": open, closed).
    binary_states: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # Words that mean the same in names and requests, read as both ("outside": outdoor).
    same_words: Mapping[str, str] = field(default_factory=dict)


def _load() -> dict[str, Lexicon]:
    found: dict[str, Lexicon] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        if isinstance(lexicon := getattr(module, "LEXICON", None), Lexicon):
            found[lexicon.language] = lexicon
    return found


_LEXICONS = _load()


def lexicon_for(language: str) -> Lexicon | None:
    """The lexicon of `language` (`en`, `en-GB`, `en_US`), or None when there is none."""
    return _LEXICONS.get(language.replace("_", "-").split("-")[0].lower())

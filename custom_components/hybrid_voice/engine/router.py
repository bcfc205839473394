"""Which path answers an utterance the instant tier did not: think (local) or fast (cloud).

A home-control or home-state utterance that reaches the cloud is a privacy failure; a
wrong "think" only costs speed. So the router sends an utterance to the cloud only
when it shows a sign of being general (a question about the world, chit-chat, a joke,
arithmetic) and no sign of being about this home: one of its names, areas or floors,
a device noun said of a particular device, an order, a state, how a room feels, the
user's own day. A follow-up to a think turn stays local; a language without router
words stays local. Every decision says why.

    home = home_vocabulary(exposed_home, floor_names)  # once per home, when it changes
    route_utterance("tell me a joke", home, ConversationState(), "en").path  # "fast"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from .home_model import ExposedHome
from .lexicon import en, en_router, lexicon_for
from .lexicon.router_words import RouterWords
from .router_clues import Clues
from .router_reading import HomeVocabulary, read
from .router_signs import general_sign, home_sign, leans_back, weak_home_sign

__all__ = [
    "ConversationState",
    "HomeVocabulary",
    "RouteDecision",
    "home_vocabulary",
    "route_utterance",
]

type Path = Literal["think", "fast"]

# Router words of each language whose lexicon has them, by the lexicon's language code.
_ROUTER_WORDS: dict[str, RouterWords] = {en.LEXICON.language: en_router.ROUTER_WORDS}


class HasText(Protocol):
    """A parsed request: the router reads only its text."""

    @property
    def text(self) -> str:
        """The utterance as the user said it."""
        ...


@dataclass(frozen=True)
class ConversationState:
    """What the router knows of the conversation so far."""

    previous_path: Path | None = None  # path of the previous turn, if it was recent
    awaiting_reply: bool = False  # the think path asked a question ("which lock?")


@dataclass(frozen=True)
class RouteDecision:
    """Where an utterance goes, how sure the router is, and why."""

    path: Path
    confidence: float
    reason: str


def home_vocabulary(home: ExposedHome, floors: Iterable[str] = ()) -> HomeVocabulary:
    """The router's vocabulary of an exposed home: build it when the home changes."""
    return HomeVocabulary.build(
        (name for entity in home.entities for name in entity.names),
        (*home.areas, *floors),
        (entity.domain for entity in home.entities),
    )


def route_utterance(
    request_or_text: str | HasText,
    home_vocabulary: HomeVocabulary,
    conversation_state: ConversationState | None = None,
    language: str = "en",
) -> RouteDecision:
    """Decide think or fast for one utterance in one home."""
    state = conversation_state or ConversationState()
    text = request_or_text if isinstance(request_or_text, str) else request_or_text.text
    lexicon = lexicon_for(language)
    words = _ROUTER_WORDS.get(lexicon.language) if lexicon is not None else None
    if words is None:
        return RouteDecision("think", 1.0, f"no router words for language {language!r}")
    reading = read(text, words)
    if not reading.said:
        return RouteDecision("think", 1.0, "nothing to read")
    clues = Clues.of(reading, words, home_vocabulary)
    for rule in _RULES:
        if decision := rule(clues, state):
            return decision
    return RouteDecision("think", 0.5, weak_home_sign(clues) or "no clear sign either way")


def _awaited(clues: Clues, state: ConversationState) -> RouteDecision | None:
    if state.previous_path == "think" and state.awaiting_reply:
        return RouteDecision("think", 1.0, "answers a question the home asked")
    return None


def _home(clues: Clues, state: ConversationState) -> RouteDecision | None:
    sign = home_sign(clues)
    return RouteDecision("think", 0.9, sign) if sign else None


def _after_think(clues: Clues, state: ConversationState) -> RouteDecision | None:
    if state.previous_path == "think" and leans_back(clues):
        return RouteDecision("think", 0.85, "follows up a local turn")
    return None


def _general(clues: Clues, state: ConversationState) -> RouteDecision | None:
    if sign := general_sign(clues):
        return RouteDecision("fast", 0.7 if weak_home_sign(clues) else 0.9, sign)
    return None


def _after_fast(clues: Clues, state: ConversationState) -> RouteDecision | None:
    if state.previous_path == "fast" and leans_back(clues) and not weak_home_sign(clues):
        return RouteDecision("fast", 0.75, "follows up a cloud turn")
    return None


def _remark(clues: Clues, state: ConversationState) -> RouteDecision | None:
    if clues.reading.said[0] in clues.words.remark_subjects and not weak_home_sign(clues):
        return RouteDecision("fast", 0.6, "a remark with nothing of the home in it")
    return None


_RULES: tuple[Callable[[Clues, ConversationState], RouteDecision | None], ...] = (
    *(_awaited, _home, _after_think, _general, _after_fast, _remark),
)

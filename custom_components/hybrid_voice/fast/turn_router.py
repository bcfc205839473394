"""The router as the agent uses it: this home's vocabulary and each conversation's path.

The router itself (`engine/router.py`) is pure; this keeps what it needs between turns:
the home's names (rebuilt only when they change) and which path answered each
conversation's previous turn, so a follow-up to a think turn stays local.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Literal

from homeassistant.core import HomeAssistant

from custom_components.hybrid_voice.engine.router import (
    ConversationState,
    HomeVocabulary,
    RouteDecision,
    route_utterance,
)
from custom_components.hybrid_voice.models import ExposedHome

from .fast_path import MAX_CONVERSATIONS, async_place_names

# A previous turn older than this no longer makes the next one a follow-up (seconds).
FOLLOW_UP_WINDOW = 300.0
type PathName = Literal["think", "fast"]


class TurnRouter:
    """Decides think or fast for each turn of one agent."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] = ()
        self._vocabulary = HomeVocabulary.build(())
        self._previous: OrderedDict[str, tuple[PathName, bool, float]] = OrderedDict()

    def decide(
        self, hass: HomeAssistant, text: str, home: ExposedHome, conversation_id: str, language: str
    ) -> RouteDecision:
        """The router's decision for `text` in this home and conversation."""
        previous = self._previous.get(conversation_id)
        state = ConversationState()
        if previous is not None and time.monotonic() - previous[2] < FOLLOW_UP_WINDOW:
            state = ConversationState(previous_path=previous[0], awaiting_reply=previous[1])
        return route_utterance(text, self._vocabulary_of(hass, home), state, language)

    def remember(self, conversation_id: str, path: PathName, speech: str) -> None:
        """Which path answered the conversation's turn, and whether it asked back."""
        self._previous.pop(conversation_id, None)
        asked = speech.rstrip().endswith("?")
        self._previous[conversation_id] = (path, asked, time.monotonic())
        while len(self._previous) > MAX_CONVERSATIONS:
            self._previous.popitem(last=False)

    def _vocabulary_of(self, hass: HomeAssistant, home: ExposedHome) -> HomeVocabulary:
        devices = tuple(name for entity in home.entities for name in entity.names)
        places = (*home.areas, *async_place_names(hass))
        domains = tuple(sorted({entity.domain for entity in home.entities}))
        key = (devices, places, domains)
        if key != self._key:
            self._key = key
            self._vocabulary = HomeVocabulary.build(devices, places, domains)
        return self._vocabulary

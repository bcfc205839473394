"""Floors, the speaker's room and sensor states as Home Assistant has them.

They make the think path's view of the home (`engine.places` reads them).
"""

from __future__ import annotations

from hassil.recognize import RecognizeResult
from homeassistant.components import conversation
from homeassistant.components.conversation import DOMAIN as CONVERSATION_DOMAIN
from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import floor_registry as fr
from homeassistant.helpers import intent

from custom_components.hybrid_voice.engine.lexicon import lexicon_for
from custom_components.hybrid_voice.engine.places import (
    choices_asked,
    completed_request,
    says_plural,
)

# Slots of Home Assistant's intents that pick devices by place or by name.
_PLACE_SLOTS = frozenset({"name", "area", "floor"})


@callback
def async_floors(hass: HomeAssistant) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(floor name by floor id, aliases by floor name) of the home's floors."""
    floors = fr.async_get(hass).async_list_floors()
    names = {floor.floor_id: floor.name for floor in floors}
    return names, {floor.name: tuple(sorted(floor.aliases)) for floor in floors}


@callback
def async_speaker_area(hass: HomeAssistant, device_id: str | None) -> str | None:
    """The name of the area of the device a request was spoken at (a satellite)."""
    if device_id is None or (device := dr.async_get(hass).async_get(device_id)) is None:
        return None
    area = ar.async_get(hass).async_get_area(device.area_id) if device.area_id else None
    return area.name if area is not None else None


def shown_state(hass: HomeAssistant, state: State) -> str:
    """A binary sensor's on/off in the words of its device class ("open", "dry").

    Other states are shown as they are.
    """
    if state.domain != "binary_sensor" or state.state not in ("on", "off"):
        return state.state
    lexicon = lexicon_for(hass.config.language)
    device_class = str(state.attributes.get("device_class"))
    words = lexicon.binary_states.get(device_class) if lexicon is not None else None
    if words is None:
        return state.state
    return words[0] if state.state == "on" else words[1]


def completed_text(chat_log: conversation.ChatLog, text: str) -> str:
    """The request as it is meant.

    A reply to the agent's "which one" question ("the front one") completes the
    request that was asked about.
    """
    past = chat_log.content[:-1]
    if len(past) < 2:
        return text
    question, original = past[-1], past[-2]
    if not isinstance(question, conversation.AssistantContent) or not isinstance(
        original, conversation.UserContent
    ):
        return text
    choices = choices_asked(question.content or "")
    if choices is None:
        return text
    return completed_request(original.content, text, choices) or text


def _slot_values(result: RecognizeResult, slot: str) -> set[str]:
    match = result.entities.get(slot)
    if match is None:
        return set()
    value = match.value
    return {str(item) for item in value} if isinstance(value, list) else {str(value)}


class InstantGuard:
    """What Home Assistant's sentence matching must leave to the agent.

    That is a phrase for one device that its matcher reads as every device of a class
    ("open the garage door" with two garage doors opens both). The agent asks which
    one (`choices`) instead.
    """

    def __init__(self, hass: HomeAssistant, text: str) -> None:
        """Guard the matching of `text` in this home."""
        self._hass = hass
        self._text = text
        self.choices: list[str] = []

    def __call__(self, result: RecognizeResult) -> bool:
        """True (leave it) when a singular phrase fits several devices of a class.

        Also when no integration handles the intent here ("add yoghurt to the list"
        reads as the shopping list integration's intent in a home without it), and a
        question about a class of device that devices of another kind also have.
        """
        if result.intent.name not in {
            handler.intent_type for handler in intent.async_get(self._hass)
        }:
            return True
        if result.intent.name == intent.INTENT_GET_STATE and self._elsewhere(result):
            return True
        if _PLACE_SLOTS & result.entities.keys() or "device_class" not in result.entities:
            return False
        domains = _slot_values(result, "domain")
        classes = _slot_values(result, "device_class")
        fits = [
            state
            for state in self._hass.states.async_all(domains or None)
            if state.attributes.get("device_class") in classes
            and async_should_expose(self._hass, CONVERSATION_DOMAIN, state.entity_id)
        ]
        if len(fits) < 2 or any(says_plural(self._text, state.domain) for state in fits):
            return False
        self.choices = sorted(state.name for state in fits)
        return True

    def _elsewhere(self, result: RecognizeResult) -> bool:
        """Whether devices outside the matched kinds have the class asked about.

        "is any window open?" reads as window covers; a window contact (a binary
        sensor) would go unasked.
        """
        domains = _slot_values(result, "domain")
        classes = _slot_values(result, "device_class")
        return bool(domains and classes) and any(
            state.domain not in domains
            and state.attributes.get("device_class") in classes
            and async_should_expose(self._hass, CONVERSATION_DOMAIN, state.entity_id)
            for state in self._hass.states.async_all()
        )

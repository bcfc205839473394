"""Floors, the speaker's room and sensor states as Home Assistant has them, for the
think path's view of the home (`engine.places` reads them)."""

from __future__ import annotations

from homeassistant.components import conversation
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import floor_registry as fr

from custom_components.hybrid_voice.engine.lexicon import lexicon_for
from custom_components.hybrid_voice.engine.places import choices_asked, completed_request


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
    """A binary sensor's on/off in the words of its device class ("open", "dry");
    other states as they are."""
    if state.domain != "binary_sensor" or state.state not in ("on", "off"):
        return state.state
    lexicon = lexicon_for(hass.config.language)
    device_class = str(state.attributes.get("device_class"))
    words = lexicon.binary_states.get(device_class) if lexicon is not None else None
    if words is None:
        return state.state
    return words[0] if state.state == "on" else words[1]


def completed_text(chat_log: conversation.ChatLog, text: str) -> str:
    """The request as it is meant: a reply to the agent's "which one" question
    ("the front one") completes the request that was asked about."""
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

"""The home as the think path sees it: exposed entities with names, areas, states."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from homeassistant.components.conversation import DOMAIN as CONVERSATION_DOMAIN
from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from custom_components.hybrid_voice.const import LOGGER
from custom_components.hybrid_voice.models import EntityInfo, ExposedHome

from .places import async_floors, shown_state

_LIST_ITEMS_TIMEOUT = 5.0

# The agents and the speech services themselves are not devices.
_NOT_DEVICES = frozenset({"conversation", "tts", "stt", "assist_satellite"})


def _attributes(state: State) -> tuple[tuple[str, str], ...]:
    """The attributes the prompt shows, as strings, in a fixed order."""
    attrs = state.attributes
    shown: dict[str, Any] = {}
    if (brightness := attrs.get("brightness")) is not None and state.state == "on":
        shown["brightness_pct"] = round(float(brightness) / 255 * 100)
    if (volume := attrs.get("volume_level")) is not None:
        shown["volume_pct"] = round(float(volume) * 100)
    for key in ("current_position", "percentage", "temperature", "current_temperature"):
        if attrs.get(key) is not None:
            shown[key] = attrs[key]
    if state.domain == "climate" and attrs.get("hvac_action"):
        shown["hvac_mode"] = state.state
    if attrs.get("media_title"):
        shown["media_title"] = attrs["media_title"]
    if state.domain == "sensor" and attrs.get("unit_of_measurement"):
        shown["unit_of_measurement"] = attrs["unit_of_measurement"]
    return tuple((key, str(value)) for key, value in shown.items())


@callback
def async_exposed_home(hass: HomeAssistant) -> ExposedHome:
    """The entities exposed to conversation agents, and the names of all areas."""
    areas = ar.async_get(hass)
    devices = dr.async_get(hass)
    registry = er.async_get(hass)
    floor_names, floors = async_floors(hass)
    entities: list[EntityInfo] = []
    for state in hass.states.async_all():
        if state.domain in _NOT_DEVICES or not async_should_expose(
            hass, CONVERSATION_DOMAIN, state.entity_id
        ):
            continue
        area_id: str | None = None
        aliases: tuple[str, ...] = ()
        if (entry := registry.async_get(state.entity_id)) is not None:
            aliases = tuple(sorted(entry.aliases))
            area_id = entry.area_id
            if area_id is None and entry.device_id is not None:
                device = devices.async_get(entry.device_id)
                area_id = device.area_id if device is not None else None
        area = areas.async_get_area(area_id) if area_id else None
        entities.append(
            EntityInfo(
                entity_id=state.entity_id,
                name=state.name,
                domain=state.domain,
                area=area.name if area is not None else None,
                aliases=aliases,
                state=shown_state(hass, state),
                attributes=_attributes(state),
                floor=floor_names.get(area.floor_id or "") if area is not None else None,
                device_class=state.attributes.get("device_class"),
            )
        )
    area_names = sorted(area.name for area in areas.async_list_areas())
    return ExposedHome(entities, area_names, floors)


async def async_with_list_items(
    hass: HomeAssistant, entities: list[EntityInfo]
) -> list[EntityInfo]:
    """The entities, with the open items of to-do lists.

    The entities, with the open items of every to-do list, so that "what's on my
    shopping list?" is answered from the list itself rather than its count.
    """
    lists = [entity.entity_id for entity in entities if entity.domain == "todo"]
    if not lists:
        return entities
    try:
        async with asyncio.timeout(_LIST_ITEMS_TIMEOUT):
            response = await hass.services.async_call(
                "todo",
                "get_items",
                {"entity_id": lists, "status": ["needs_action"]},
                blocking=True,
                return_response=True,
            )
    except (HomeAssistantError, TimeoutError, ValueError) as err:
        LOGGER.debug("To-do items not read: %s", err)
        return entities
    found: dict[str, Any] = dict(response or {})
    listed = []
    for entity in entities:
        items = (found.get(entity.entity_id) or {}).get("items")
        if not isinstance(items, list):
            listed.append(entity)
            continue
        summaries = (str(item.get("summary", "")) for item in items)
        listed.append(dataclasses.replace(entity, items=tuple(s for s in summaries if s)))
    return listed

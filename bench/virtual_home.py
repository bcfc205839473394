"""A dataset home inside a running Home Assistant: floors, areas, devices, scripts, exposure.

The entities are entity platforms of a bench-only integration (`virtual_home`,
registered with the test harness's `mock_platform`), one per domain, built from the
fixtures; scripts are Home Assistant's own `script` integration running the fixture's
`sequence`. Entities of other domains Home Assistant knows are read-only: a state in
the registry's area that no service changes (`bench.virtual_readonly`). The fixture's
devices are in the device registry with their area (a test's `context_device` is the
satellite the sentence is spoken at) and lend that area to their entities.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import floor_registry as fr
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped,unused-ignore]
    MockConfigEntry,
    MockPlatform,
    mock_platform,
)

from bench.assist_dataset import FixtureEntity, Home, StateSpec
from bench.scoring import snapshot_entry
from bench.virtual_device_types import DEVICE_TYPES
from bench.virtual_devices import VirtualDevice
from bench.virtual_readonly import is_known_domain, readonly_state

PLATFORM = "virtual_home"
DEVICES_DOMAIN = "virtual_home_devices"


class UnsupportedEntity(Exception):
    """The fixtures name a domain or a value the virtual home cannot build."""


@dataclass
class VirtualHome:
    """The built home: reset it before a sentence, snapshot it before and after."""

    hass: HomeAssistant
    home: Home
    devices: dict[str, VirtualDevice]
    readonly: dict[str, FixtureEntity]
    device_ids: dict[str, str]  # fixture device id -> Home Assistant device id

    async def async_reset(self, setup: Mapping[str, StateSpec]) -> None:
        """Every device back to its fixture state, then the test's `setup` on top."""
        for entity in self.home.entities:
            spec = setup.get(entity.entity_id, StateSpec())
            attributes = {**entity.attributes, **spec.attributes}
            if entity.entity_id in self.readonly:
                state, shown = readonly_state(entity, spec.state or entity.state, attributes)
                self.hass.states.async_set(entity.entity_id, state, shown)
            if (device := self.devices.get(entity.entity_id)) is not None:
                device.restore(spec.state or entity.state, attributes)
                if isinstance(device, Entity):
                    device.async_write_ha_state()
        await self.hass.async_block_till_done()

    def snapshot(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """Every fixture entity's state and scored attributes."""
        found = {}
        for entity in self.home.entities:
            if (state := self.hass.states.get(entity.entity_id)) is not None:
                found[entity.entity_id] = snapshot_entry(state.state, state.attributes)
        return found


def _platform(devices: list[VirtualDevice]) -> MockPlatform:
    async def async_setup_platform(
        hass: HomeAssistant,
        config: ConfigType,
        async_add_entities: AddEntitiesCallback,
        discovery_info: DiscoveryInfoType | None = None,
    ) -> None:
        async_add_entities([device for device in devices if isinstance(device, Entity)])

    return MockPlatform(async_setup_platform=async_setup_platform)


async def _async_build_places(hass: HomeAssistant, home: Home) -> dict[str, str]:
    """Floors, then areas on them; returns fixture area id -> Home Assistant area id."""
    floors = fr.async_get(hass)
    floor_ids: dict[str, str] = {}
    for floor_id, floor in home.floors.items():
        entry = floors.async_get_floor_by_name(floor.name) or floors.async_create(
            floor.name, aliases=set(floor.aliases), level=floor.level
        )
        floor_ids[floor_id] = entry.floor_id
    areas = ar.async_get(hass)
    area_ids: dict[str, str] = {}
    for area_id, place in home.places.items():
        on_floor = floor_ids.get(place.floor) if place.floor is not None else None
        area = areas.async_get_area_by_name(place.name)
        if area is None:
            area = areas.async_create(place.name, aliases=set(place.aliases), floor_id=on_floor)
        area_ids[area_id] = area.id
    return area_ids


def _add_devices(hass: HomeAssistant, home: Home, area_ids: Mapping[str, str]) -> dict[str, str]:
    """The fixture's devices in the device registry, in their areas."""
    # A config entry of its own domain: nothing sets it up (the platforms' integration
    # would look for a config flow).
    entry = MockConfigEntry(domain=DEVICES_DOMAIN, title=home.name)
    entry.add_to_hass(hass)
    registry = dr.async_get(hass)
    found: dict[str, str] = {}
    for device_id, (name, area) in home.devices.items():
        device = registry.async_get_or_create(
            config_entry_id=entry.entry_id, identifiers={(PLATFORM, device_id)}, name=name
        )
        if area is not None:
            registry.async_update_device(device.id, area_id=area_ids[area])
        found[device_id] = device.id
    return found


def _sorted_by_kind(
    home: Home,
) -> tuple[dict[str, list[VirtualDevice]], dict[str, dict[str, Any]], dict[str, FixtureEntity]]:
    by_domain: dict[str, list[VirtualDevice]] = {}
    scripts: dict[str, dict[str, Any]] = {}
    readonly: dict[str, FixtureEntity] = {}
    for entity in home.entities:
        if entity.domain == "script":
            scripts[entity.entity_id.partition(".")[2]] = _script(entity)
        elif (kind := DEVICE_TYPES.get(entity.domain)) is not None:
            try:
                by_domain.setdefault(entity.domain, []).append(kind(entity))
            except (ValueError, TypeError, KeyError) as err:
                raise UnsupportedEntity(
                    f"{home.path}: entity {entity.entity_id!r}: cannot be built ({err})"
                ) from err
        elif is_known_domain(entity.domain):
            readonly[entity.entity_id] = entity
        else:
            raise UnsupportedEntity(
                f"{home.path}: entity {entity.entity_id!r}: unknown domain {entity.domain!r}"
            )
    return by_domain, scripts, readonly


async def async_build_home(hass: HomeAssistant, home: Home) -> VirtualHome:
    """Create floors, areas, devices, entities and scripts of `home`; expose them to Assist."""
    by_domain, scripts, readonly = _sorted_by_kind(home)
    area_ids = await _async_build_places(hass, home)
    device_ids = _add_devices(hass, home, area_ids)
    for domain, devices in by_domain.items():
        mock_platform(hass, f"{PLATFORM}.{domain}", _platform(devices))
        assert await async_setup_component(hass, domain, {domain: [{"platform": PLATFORM}]})
    if scripts:
        assert await async_setup_component(hass, "script", {"script": scripts})
    registry = er.async_get(hass)
    for entity in readonly.values():
        domain, _, object_id = entity.entity_id.partition(".")
        registry.async_get_or_create(
            domain, PLATFORM, entity.entity_id, suggested_object_id=object_id
        )
        state, shown = readonly_state(entity, entity.state, entity.attributes)
        hass.states.async_set(entity.entity_id, state, shown)
    await hass.async_block_till_done()
    for entity in home.entities:
        if hass.states.get(entity.entity_id) is None:
            raise UnsupportedEntity(f"{home.path}: entity {entity.entity_id!r} did not start")
        area_id = entity.area or (home.devices[entity.device][1] if entity.device else None)
        if registry.async_get(entity.entity_id) is not None:
            registry.async_update_entity(
                entity.entity_id,
                area_id=area_ids[area_id] if area_id is not None else None,
                aliases=set(entity.aliases),
            )
        async_expose_entity(hass, "conversation", entity.entity_id, True)
    await hass.async_block_till_done()
    built = {device.entity_id: device for group in by_domain.values() for device in group}
    return VirtualHome(hass, home, built, readonly, device_ids)


def _script(entity: FixtureEntity) -> dict[str, Any]:
    return {"alias": entity.name, "sequence": [dict(step) for step in entity.sequence]}

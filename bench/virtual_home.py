"""A dataset home inside a running Home Assistant: areas, devices, scripts, exposure.

The devices are entity platforms of a bench-only integration (`virtual_home`,
registered with the test harness's `mock_platform`), one per domain, built from the
fixtures; scripts are Home Assistant's own `script` integration running the fixture's
`sequence`. The fixture's devices only lend their area to their entities (Home
Assistant's sentence matching and the agent both read the entity's area).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped,unused-ignore]
    MockPlatform,
    mock_platform,
)

from bench.assist_dataset import FixtureEntity, Home, StateSpec
from bench.scoring import snapshot_entry
from bench.virtual_appliances import (
    VirtualMediaPlayer,
    VirtualSensor,
    VirtualThermostat,
    VirtualTodoList,
)
from bench.virtual_devices import (
    VirtualCover,
    VirtualDevice,
    VirtualFan,
    VirtualLight,
    VirtualLock,
    VirtualSwitch,
    VirtualVacuum,
    VirtualValve,
)

PLATFORM = "virtual_home"
DEVICE_TYPES: dict[str, type[VirtualDevice]] = {
    "light": VirtualLight,
    "switch": VirtualSwitch,
    "fan": VirtualFan,
    "cover": VirtualCover,
    "valve": VirtualValve,
    "lock": VirtualLock,
    "vacuum": VirtualVacuum,
    "media_player": VirtualMediaPlayer,
    "climate": VirtualThermostat,
    "todo": VirtualTodoList,
    "sensor": VirtualSensor,
}


class UnsupportedEntity(Exception):
    """The fixtures name a domain the virtual home cannot build."""


@dataclass
class VirtualHome:
    """The built home: reset it before a sentence, snapshot it before and after."""

    hass: HomeAssistant
    home: Home
    devices: dict[str, VirtualDevice]

    async def async_reset(self, setup: Mapping[str, StateSpec]) -> None:
        """Every device back to its fixture state, then the test's `setup` on top."""
        for entity in self.home.entities:
            device = self.devices.get(entity.entity_id)
            if device is None:
                continue
            spec = setup.get(entity.entity_id, StateSpec())
            attributes = {**entity.attributes, **spec.attributes}
            device.restore(spec.state or entity.state, attributes)
            if isinstance(device, Entity):
                device.async_write_ha_state()
        await self.hass.async_block_till_done()

    def snapshot(self) -> dict[str, tuple[str, dict[str, Any]]]:
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


async def async_build_home(hass: HomeAssistant, home: Home) -> VirtualHome:
    """Create areas, devices and scripts of `home` and expose them to Assist."""
    areas = ar.async_get(hass)
    for name in home.areas.values():
        if areas.async_get_area_by_name(name) is None:
            areas.async_create(name)
    by_domain: dict[str, list[VirtualDevice]] = {}
    scripts: dict[str, dict[str, Any]] = {}
    for entity in home.entities:
        if entity.domain == "script":
            scripts[entity.entity_id.partition(".")[2]] = _script(entity)
            continue
        if (kind := DEVICE_TYPES.get(entity.domain)) is None:
            raise UnsupportedEntity(f"{home.name}: {entity.entity_id} (domain not supported)")
        by_domain.setdefault(entity.domain, []).append(kind(entity))
    for domain, devices in by_domain.items():
        mock_platform(hass, f"{PLATFORM}.{domain}", _platform(devices))
        assert await async_setup_component(hass, domain, {domain: [{"platform": PLATFORM}]})
    if scripts:
        assert await async_setup_component(hass, "script", {"script": scripts})
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    for entity in home.entities:
        if hass.states.get(entity.entity_id) is None:
            raise UnsupportedEntity(f"{home.name}: {entity.entity_id} did not start")
        if (area_name := home.area_of(entity)) is not None:
            area = areas.async_get_area_by_name(area_name)
            if area is not None and registry.async_get(entity.entity_id) is not None:
                registry.async_update_entity(entity.entity_id, area_id=area.id)
        async_expose_entity(hass, "conversation", entity.entity_id, True)
    await hass.async_block_till_done()
    built = {device.entity_id: device for group in by_domain.values() for device in group}
    return VirtualHome(hass, home, built)


def _script(entity: FixtureEntity) -> dict[str, Any]:
    return {"alias": entity.name, "sequence": [dict(step) for step in entity.sequence]}

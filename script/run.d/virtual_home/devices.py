"""The entity platforms of the virtual home: one list of devices per domain."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, cast

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType

from bench.assist_dataset import Home
from bench.virtual_device_types import DEVICE_TYPES

DOMAIN = "virtual_home"
DATA_HOME = f"{DOMAIN}_home"


async def async_add_devices(
    hass: HomeAssistant,
    domain: str,
    async_add_entities: AddEntitiesCallback,
    discovery_info: DiscoveryInfoType | None,
) -> None:
    """Add the home's devices of `domain` (called by each platform module)."""
    if discovery_info is None:
        return
    home: Home = hass.data[DATA_HOME]
    kind = DEVICE_TYPES[domain]
    devices = [kind(entity) for entity in home.entities if entity.domain == domain]
    async_add_entities(cast("list[Entity]", devices))  # every device class is an Entity


type PlatformSetup = Callable[
    [HomeAssistant, ConfigType, AddEntitiesCallback, DiscoveryInfoType | None],
    Coroutine[Any, Any, None],
]


def platform_setup(domain: str) -> PlatformSetup:
    """The `async_setup_platform` of the platform module for `domain`."""

    async def async_setup_platform(
        hass: HomeAssistant,
        config: ConfigType,
        async_add_entities: AddEntitiesCallback,
        discovery_info: DiscoveryInfoType | None = None,
    ) -> None:
        await async_add_devices(hass, domain, async_add_entities, discovery_info)

    return async_setup_platform

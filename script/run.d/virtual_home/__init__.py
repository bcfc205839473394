"""A demo home for `script/run`: the devices of a dataset home as live entities.

Not part of the product: `script/run` links it into the demo instance's configuration
next to hybrid_voice. Configuration:

    virtual_home:
      home: /path/to/a/home   # a directory with `_fixtures.yaml` (assist dataset format)

Devices start in their fixture state on every start of Home Assistant. Their classes are
the evaluation's virtual devices (`bench/virtual_devices.py`), so the demo and the
benchmarks run the same home model; scripts run through Home Assistant's `script`.
Areas are given to entities that have none yet, and every device is exposed to Assist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import voluptuous as vol
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.discovery import async_load_platform
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.typing import ConfigType
from homeassistant.setup import async_setup_component

from bench.assist_dataset import DatasetError, FixtureEntity, Home, load_home
from bench.virtual_device_types import DEVICE_TYPES

from .devices import DATA_HOME, DOMAIN

CONFIG_SCHEMA = vol.Schema(
    {DOMAIN: vol.Schema({vol.Required("home"): cv.isdir})}, extra=vol.ALLOW_EXTRA
)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Load the home, add its devices and scripts, then place and expose them."""
    try:
        home = await hass.async_add_executor_job(load_home, Path(config[DOMAIN]["home"]))
    except DatasetError as err:
        raise vol.Invalid(str(err)) from err
    hass.data[DATA_HOME] = home
    domains = {entity.domain for entity in home.entities if entity.domain in DEVICE_TYPES}
    for domain in sorted(domains):
        hass.async_create_task(async_load_platform(hass, domain, DOMAIN, {}, config))
    scripts = {
        entity.entity_id.partition(".")[2]: _script(entity)
        for entity in home.entities
        if entity.domain == "script"
    }
    if scripts and not await async_setup_component(hass, "script", {"script": scripts}):
        return False

    async def place_and_expose(hass: HomeAssistant) -> None:
        _place_and_expose(hass, home)

    async_at_started(hass, place_and_expose)
    return True


def _script(entity: FixtureEntity) -> dict[str, Any]:
    return {"alias": entity.name, "sequence": [dict(step) for step in entity.sequence]}


def _place_and_expose(hass: HomeAssistant, home: Home) -> None:
    areas = ar.async_get(hass)
    registry = er.async_get(hass)
    for entity in home.entities:
        entry = registry.async_get(entity.entity_id)
        area_name = home.area_of(entity)
        if entry is not None and entry.area_id is None and area_name is not None:
            area = areas.async_get_area_by_name(area_name) or areas.async_create(area_name)
            registry.async_update_entity(entity.entity_id, area_id=area.id)
        async_expose_entity(hass, "conversation", entity.entity_id, True)

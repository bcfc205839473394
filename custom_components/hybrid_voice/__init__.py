"""Hybrid Voice: a local-first conversation agent for Home Assistant."""

from __future__ import annotations

import openai
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.httpx_client import get_async_client
from homeassistant.helpers.typing import ConfigType

from .const import CONF_API_KEY, CONF_URL, DOMAIN, PROBE_TIMEOUT
from .fast.fast_path import async_start_fast_path
from .models import HybridVoiceConfigEntry, HybridVoiceData
from .think.endpoint import EndpointAuthFailed, EndpointError, async_list_models

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS: tuple[Platform, ...] = (Platform.CONVERSATION,)


def create_client(hass: HomeAssistant, url: str, api_key: str | None) -> openai.AsyncOpenAI:
    """An OpenAI client for the endpoint, on Home Assistant's shared HTTP pool."""
    return openai.AsyncOpenAI(
        base_url=url,
        # Local servers ignore the key, but the client refuses to start without one.
        api_key=api_key or "no-key",
        http_client=get_async_client(hass),
    )


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration; agents are added as config entries from the UI."""
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HybridVoiceConfigEntry) -> bool:
    """Connect to the think-path endpoint and add the conversation agent."""
    client = create_client(hass, entry.data[CONF_URL], entry.data.get(CONF_API_KEY))
    # The client reads platform details with blocking calls the first time.
    await hass.async_add_executor_job(lambda: client.platform_headers)
    try:
        models = await async_list_models(client, PROBE_TIMEOUT)
    except EndpointAuthFailed as err:
        raise ConfigEntryError(translation_domain=DOMAIN, translation_key="invalid_auth") from err
    except EndpointError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="endpoint_not_ready",
            translation_placeholders={"url": entry.data[CONF_URL], "error": str(err)},
        ) from err
    fast = await async_start_fast_path(hass, entry)
    if fast is not None:
        entry.async_on_unload(fast.async_stop)
    entry.runtime_data = HybridVoiceData(client=client, models=tuple(models), fast=fast)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(entry.add_update_listener(_async_reload_on_update))
    return True


async def _async_reload_on_update(hass: HomeAssistant, entry: HybridVoiceConfigEntry) -> None:
    """New options change the entity's features, so the entry starts again."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: HybridVoiceConfigEntry) -> bool:
    """Remove the agent; the HTTP pool is Home Assistant's and stays open."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)

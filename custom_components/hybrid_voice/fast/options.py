"""The fast path's options: form fields, the values as stored, and the API key check.

A key is checked before it is saved, by opening a Realtime connection at the configured
base URL (the endpoint the fast path will use) and waiting for its session: a refused
key is reported on the form and nothing is saved. Spaces and line breaks pasted with a
key are dropped. The key is never logged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import aiohttp
import voluptuous as vol
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from custom_components.hybrid_voice.const import (
    CONF_CLOUD_BUDGET,
    CONF_FAST_PROMPT,
    CONF_FAST_TIMEOUT,
    CONF_OPENAI_KEY,
    CONF_PRICE_CACHED,
    CONF_PRICE_INPUT,
    CONF_PRICE_OUTPUT,
    CONF_REALTIME_MODEL,
    CONF_REALTIME_URL,
    CONF_ROUTING,
    DEFAULT_CLOUD_BUDGET,
    DEFAULT_FAST_TIMEOUT,
    DEFAULT_REALTIME_MODEL,
    DEFAULT_REALTIME_URL,
    LOGGER,
    PROBE_TIMEOUT,
    ROUTING_AUTO,
    ROUTING_LOCAL_ONLY,
)

from .cloud_request import DEFAULT_FAST_INSTRUCTIONS
from .realtime_connect import realtime_url
from .realtime_events import error_code, parse_server_event

# Own prices of the model, all three or none (USD per million tokens).
PRICE_FIELDS = (CONF_PRICE_INPUT, CONF_PRICE_CACHED, CONF_PRICE_OUTPUT)


def cloud_fields(current: Mapping[str, Any]) -> dict[vol.Marker, Any]:
    """The fast path's fields of the options form."""
    return {
        vol.Optional(
            CONF_OPENAI_KEY, description={"suggested_value": current.get(CONF_OPENAI_KEY)}
        ): TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD)),
        vol.Required(CONF_ROUTING, default=current.get(CONF_ROUTING, ROUTING_AUTO)): SelectSelector(
            SelectSelectorConfig(
                options=[ROUTING_AUTO, ROUTING_LOCAL_ONLY], translation_key="routing"
            )
        ),
        vol.Required(
            CONF_REALTIME_MODEL, default=current.get(CONF_REALTIME_MODEL, DEFAULT_REALTIME_MODEL)
        ): TextSelector(),
        vol.Required(
            CONF_REALTIME_URL, default=current.get(CONF_REALTIME_URL, DEFAULT_REALTIME_URL)
        ): TextSelector(TextSelectorConfig(type=TextSelectorType.URL)),
        vol.Required(
            CONF_CLOUD_BUDGET, default=current.get(CONF_CLOUD_BUDGET, DEFAULT_CLOUD_BUDGET)
        ): NumberSelector(
            NumberSelectorConfig(min=0, max=100, step=0.01, mode=NumberSelectorMode.BOX)
        ),
        vol.Required(
            CONF_FAST_TIMEOUT, default=current.get(CONF_FAST_TIMEOUT, DEFAULT_FAST_TIMEOUT)
        ): NumberSelector(
            NumberSelectorConfig(min=1, max=30, step=0.5, mode=NumberSelectorMode.BOX)
        ),
        **{
            vol.Optional(name, description={"suggested_value": current.get(name)}): NumberSelector(
                NumberSelectorConfig(min=0, max=1000, step=0.01, mode=NumberSelectorMode.BOX)
            )
            for name in PRICE_FIELDS
        },
        vol.Optional(
            CONF_FAST_PROMPT,
            description={
                "suggested_value": current.get(CONF_FAST_PROMPT, DEFAULT_FAST_INSTRUCTIONS)
            },
        ): TextSelector(TextSelectorConfig(multiline=True)),
    }


def clean_key(raw: Any) -> str:
    """The key without the spaces and line breaks a paste may bring along."""
    return "".join(str(raw or "").split())


async def async_cloud_options(
    hass: HomeAssistant, user_input: Mapping[str, Any], saved: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's values as stored, and the errors that keep them from being saved.

    A new key, or a saved key at a new URL or model, is checked first.
    """
    options = dict(user_input)
    key = clean_key(options.pop(CONF_OPENAI_KEY, ""))
    url = str(options.get(CONF_REALTIME_URL) or DEFAULT_REALTIME_URL).strip().rstrip("/")
    model = str(options.get(CONF_REALTIME_MODEL) or DEFAULT_REALTIME_MODEL).strip()
    options[CONF_REALTIME_URL], options[CONF_REALTIME_MODEL] = url, model
    for name in (CONF_CLOUD_BUDGET, CONF_FAST_TIMEOUT, *PRICE_FIELDS):
        if options.get(name) is not None:
            options[name] = float(options[name])
    if not key:
        return options, {}
    options[CONF_OPENAI_KEY] = key
    unchanged = all(
        saved.get(name) == options[name]
        for name in (CONF_OPENAI_KEY, CONF_REALTIME_URL, CONF_REALTIME_MODEL)
    )
    if unchanged:
        return options, {}
    error = await async_check_key(hass, url, model, key)
    return options, ({"base": error} if error else {})


async def async_check_key(hass: HomeAssistant, base_url: str, model: str, key: str) -> str | None:
    """None if the Realtime endpoint opens a session with `key`, else the form error."""
    http = async_get_clientsession(hass)
    try:
        async with (
            asyncio.timeout(PROBE_TIMEOUT),
            http.ws_connect(
                realtime_url(base_url, model), headers={"Authorization": f"Bearer {key}"}
            ) as ws,
        ):
            message = await ws.receive()
    except aiohttp.WSServerHandshakeError as err:
        LOGGER.debug("Realtime key check at %s: HTTP %s", base_url, err.status)
        if err.status in (401, 403):
            return "invalid_openai_key"
        return "openai_rate_limited" if err.status == 429 else "realtime_unreachable"
    except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as err:
        LOGGER.debug("Realtime key check at %s failed: %s", base_url, type(err).__name__)
        return "realtime_unreachable"
    event = parse_server_event(message.data) if message.type is aiohttp.WSMsgType.TEXT else None
    if event is not None and event["type"] == "session.created":
        return None
    if event is not None and error_code(event) == "invalid_api_key":
        return "invalid_openai_key"
    return "realtime_unreachable"

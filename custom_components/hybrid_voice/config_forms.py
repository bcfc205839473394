"""The set-up forms: their fields, how their answers are stored, and the endpoint check.

The config flow and the options flow (`config_flow.py`) show these forms; the endpoint
check lists the models a think-path endpoint serves or explains why it serves none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.const import CONF_LLM_HASS_API
from homeassistant.core import HomeAssistant
from homeassistant.helpers import llm
from homeassistant.helpers.selector import (
    BooleanSelector,
    LanguageSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    TemplateSelector,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from . import create_client
from .const import (
    CONF_API_KEY,
    CONF_ENTITY_BUDGET,
    CONF_INSTANT,
    CONF_LANGUAGE,
    CONF_MODEL,
    CONF_OPENAI_KEY,
    CONF_PROMPT,
    CONF_TIMEOUT,
    CONF_URL,
    DEFAULT_ENTITY_BUDGET,
    DEFAULT_INSTANT,
    DEFAULT_MODEL,
    DEFAULT_TIMEOUT,
    LOGGER,
    NO_CONTROL,
    PROBE_TIMEOUT,
)
from .think.endpoint import EndpointError, async_list_models


def endpoint_schema(url: str, api_key: str | None) -> vol.Schema:
    """The endpoint address and its optional key."""
    return vol.Schema(
        {
            vol.Required(CONF_URL, default=url): TextSelector(
                TextSelectorConfig(type=TextSelectorType.URL)
            ),
            vol.Optional(CONF_API_KEY, description={"suggested_value": api_key}): TextSelector(
                TextSelectorConfig(type=TextSelectorType.PASSWORD)
            ),
        }
    )


def agent_schema(
    hass: HomeAssistant, models: list[str], current: Mapping[str, Any], advanced: bool
) -> vol.Schema:
    """Model, tools, persona and language; `advanced` adds the tuning knobs."""
    default_model = DEFAULT_MODEL if DEFAULT_MODEL in models else models[0]
    apis = [SelectOptionDict(label="No control", value=NO_CONTROL)] + [
        SelectOptionDict(label=api.name, value=api.id) for api in llm.async_get_apis(hass)
    ]
    schema: dict[vol.Marker, Any] = {
        vol.Required(CONF_MODEL, default=current.get(CONF_MODEL, default_model)): SelectSelector(
            SelectSelectorConfig(options=models, custom_value=True)
        ),
        # A new agent controls the home through Assist; a stored agent without an API
        # was set to "No control" on purpose.
        vol.Required(
            CONF_LLM_HASS_API,
            default=current.get(CONF_LLM_HASS_API, NO_CONTROL if current else llm.LLM_API_ASSIST),
        ): SelectSelector(SelectSelectorConfig(options=apis)),
        vol.Optional(
            CONF_PROMPT,
            description={
                "suggested_value": current.get(CONF_PROMPT, llm.DEFAULT_INSTRUCTIONS_PROMPT)
            },
        ): TemplateSelector(),
        vol.Required(
            CONF_LANGUAGE, default=current.get(CONF_LANGUAGE, hass.config.language)
        ): LanguageSelector(),
    }
    if advanced:
        schema[vol.Required(CONF_INSTANT, default=current.get(CONF_INSTANT, DEFAULT_INSTANT))] = (
            BooleanSelector()
        )
        schema[
            vol.Required(
                CONF_ENTITY_BUDGET, default=current.get(CONF_ENTITY_BUDGET, DEFAULT_ENTITY_BUDGET)
            )
        ] = NumberSelector(
            NumberSelectorConfig(min=100, max=8000, step=50, mode=NumberSelectorMode.BOX)
        )
        schema[vol.Required(CONF_TIMEOUT, default=current.get(CONF_TIMEOUT, DEFAULT_TIMEOUT))] = (
            NumberSelector(
                NumberSelectorConfig(min=5, max=600, step=5, mode=NumberSelectorMode.BOX)
            )
        )
    return vol.Schema(schema)


def agent_options(user_input: dict[str, Any]) -> dict[str, Any]:
    """Form values as stored: "No control" is the absence of an LLM API."""
    options = dict(user_input)
    if options.get(CONF_LLM_HASS_API) == NO_CONTROL:
        options.pop(CONF_LLM_HASS_API)
    for key in (CONF_ENTITY_BUDGET, CONF_TIMEOUT):
        if key in options:
            options[key] = int(options[key])
    return options


async def async_probe(
    hass: HomeAssistant, url: str, api_key: str | None
) -> tuple[list[str], dict[str, str]]:
    """The endpoint's models, or the form errors that explain why there are none."""
    try:
        client = create_client(hass, url, api_key)
        await hass.async_add_executor_job(lambda: client.platform_headers)
        models = await async_list_models(client, PROBE_TIMEOUT)
    except EndpointError as err:
        LOGGER.debug("Endpoint %s failed the check: %s", url, err)
        return [], {"base": err.reason}
    except Exception:  # a form must explain, never fail (e.g. a URL that cannot be parsed)
        LOGGER.exception("Unexpected error while checking the endpoint %s", url)
        return [], {"base": "unknown"}
    if not models:
        return [], {"base": "no_models"}
    return models, {}


def openai_key_schema() -> vol.Schema:
    """A new OpenAI key for the fast path."""
    return vol.Schema(
        {
            vol.Required(CONF_OPENAI_KEY): TextSelector(
                TextSelectorConfig(type=TextSelectorType.PASSWORD)
            )
        }
    )

"""UI set-up: the think-path endpoint, its model, the tools and the persona."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_LLM_HASS_API
from homeassistant.core import HomeAssistant, callback
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
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo

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
    DEFAULT_URL,
    DOMAIN,
    LOGGER,
    NO_CONTROL,
    PROBE_TIMEOUT,
)
from .fast.options import async_cloud_options, cloud_fields
from .models import HybridVoiceConfigEntry
from .think.endpoint import EndpointError, async_list_models, normalize_url


def _endpoint_schema(url: str, api_key: str | None) -> vol.Schema:
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


def _agent_schema(
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


def _agent_options(user_input: dict[str, Any]) -> dict[str, Any]:
    """Form values as stored: "No control" is the absence of an LLM API."""
    options = dict(user_input)
    if options.get(CONF_LLM_HASS_API) == NO_CONTROL:
        options.pop(CONF_LLM_HASS_API)
    for key in (CONF_ENTITY_BUDGET, CONF_TIMEOUT):
        if key in options:
            options[key] = int(options[key])
    return options


async def _async_probe(
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


class HybridVoiceConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a hybrid_voice agent from the UI."""

    VERSION = 1

    def __init__(self) -> None:
        self._endpoint: dict[str, Any] = {}
        self._models: list[str] = []

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask where the think-path model is served and check it answers."""
        errors: dict[str, str] = {}
        if user_input is not None:
            url = normalize_url(user_input[CONF_URL])
            api_key = user_input.get(CONF_API_KEY) or None
            self._models, errors = await _async_probe(self.hass, url, api_key)
            if not errors:
                self._endpoint = {CONF_URL: url}
                if api_key:
                    self._endpoint[CONF_API_KEY] = api_key
                return await self.async_step_agent()
            user_input = {**user_input, CONF_URL: url}
        current = user_input or {}
        return self.async_show_form(
            step_id="user",
            data_schema=_endpoint_schema(
                current.get(CONF_URL, DEFAULT_URL), current.get(CONF_API_KEY)
            ),
            errors=errors,
        )

    async def async_step_zeroconf(self, discovery_info: ZeroconfServiceInfo) -> ConfigFlowResult:
        """A model server announced itself on the network.

        A `hybrid-voice-llm` server (or another OpenAI-compatible endpoint that
        announces `_hybridvoice-llm._tcp`) was found on the network.
        """
        properties = discovery_info.properties
        if properties.get("api") != "openai" or discovery_info.port is None:
            return self.async_abort(reason="not_openai_compatible")
        host = discovery_info.host
        if ":" in host:
            host = f"[{host}]"
        path = "/" + str(properties.get("path") or "/v1").strip("/")
        url = normalize_url(f"http://{host}:{discovery_info.port}{path}")
        await self.async_set_unique_id(url)
        self._async_abort_entries_match({CONF_URL: url})
        self._models, errors = await _async_probe(self.hass, url, None)
        if errors:
            return self.async_abort(reason=errors["base"])
        self._endpoint = {CONF_URL: url}
        model = str(properties.get("model") or self._models[0])
        self.context["title_placeholders"] = {"model": model}
        return await self.async_step_zeroconf_confirm()

    async def async_step_zeroconf_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask before adding the discovered endpoint; then the agent step as usual."""
        if user_input is not None:
            return await self.async_step_agent()
        return self.async_show_form(
            step_id="zeroconf_confirm",
            description_placeholders={
                "url": self._endpoint[CONF_URL],
                "model": self.context["title_placeholders"]["model"],
            },
        )

    async def async_step_agent(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Pick the model, the tools, the persona and the language."""
        if user_input is not None and CONF_MODEL in user_input:
            options = _agent_options(user_input)
            self._async_abort_entries_match(
                {CONF_URL: self._endpoint[CONF_URL], CONF_MODEL: options[CONF_MODEL]}
            )
            return self.async_create_entry(
                title=options[CONF_MODEL], data=self._endpoint, options=options
            )
        return self.async_show_form(
            step_id="agent",
            data_schema=_agent_schema(self.hass, self._models, {}, advanced=False),
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Point an agent at another endpoint address or key."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            url = normalize_url(user_input[CONF_URL])
            api_key = user_input.get(CONF_API_KEY) or None
            models, errors = await _async_probe(self.hass, url, api_key)
            if not errors and entry.options.get(CONF_MODEL) not in models:
                errors = {"base": "model_not_served"}
            if not errors:
                data = {CONF_URL: url} | ({CONF_API_KEY: api_key} if api_key else {})
                return self.async_update_reload_and_abort(entry, data=data)
        current = user_input or entry.data
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=_endpoint_schema(
                current.get(CONF_URL, DEFAULT_URL), current.get(CONF_API_KEY)
            ),
            errors=errors,
            description_placeholders={"model": str(entry.options.get(CONF_MODEL))},
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The OpenAI key of the fast path was refused: ask for a new one."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Check the new key like the options do, then restart the agent with it."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            options, errors = await async_cloud_options(
                self.hass, {**entry.options, **user_input}, {}
            )
            if not errors and CONF_OPENAI_KEY not in options:
                errors = {"base": "invalid_openai_key"}
            if not errors:
                return self.async_update_reload_and_abort(entry, options=options)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_OPENAI_KEY): TextSelector(
                        TextSelectorConfig(type=TextSelectorType.PASSWORD)
                    )
                }
            ),
            errors=errors,
        )

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: HybridVoiceConfigEntry) -> OptionsFlow:
        """Change everything but the endpoint address."""
        return HybridVoiceOptionsFlow()


class HybridVoiceOptionsFlow(OptionsFlow):
    """Model, tools, persona, language, instant tier and entity budget."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the current options; the model list comes from the endpoint."""
        entry = self.config_entry
        errors: dict[str, str] = {}
        if user_input is not None:
            options, errors = await async_cloud_options(self.hass, user_input, entry.options)
            if not errors:
                return self.async_create_entry(data=_agent_options(options))
        models, _errors = await _async_probe(
            self.hass, entry.data[CONF_URL], entry.data.get(CONF_API_KEY)
        )
        current = {**entry.options, **(user_input or {})}
        if current.get(CONF_MODEL) and current[CONF_MODEL] not in models:
            models = [current[CONF_MODEL], *models]
        schema = _agent_schema(self.hass, models, current, advanced=True)
        return self.async_show_form(
            step_id="init", data_schema=schema.extend(cloud_fields(current)), errors=errors
        )

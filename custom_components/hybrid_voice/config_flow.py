"""UI set-up: the think-path endpoint, its model, the tools and the persona."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.core import callback
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo

from .config_forms import (
    agent_options,
    agent_schema,
    async_probe,
    endpoint_schema,
    openai_key_schema,
)
from .const import (
    CONF_API_KEY,
    CONF_MODEL,
    CONF_OPENAI_KEY,
    CONF_URL,
    DEFAULT_URL,
    DOMAIN,
)
from .fast.options import async_cloud_options, cloud_fields
from .models import HybridVoiceConfigEntry
from .think.endpoint import normalize_url


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
            self._models, errors = await async_probe(self.hass, url, api_key)
            if not errors:
                self._endpoint = {CONF_URL: url}
                if api_key:
                    self._endpoint[CONF_API_KEY] = api_key
                return await self.async_step_agent()
            user_input = {**user_input, CONF_URL: url}
        current = user_input or {}
        return self.async_show_form(
            step_id="user",
            data_schema=endpoint_schema(
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
        self._models, errors = await async_probe(self.hass, url, None)
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
            options = agent_options(user_input)
            self._async_abort_entries_match(
                {CONF_URL: self._endpoint[CONF_URL], CONF_MODEL: options[CONF_MODEL]}
            )
            return self.async_create_entry(
                title=options[CONF_MODEL], data=self._endpoint, options=options
            )
        return self.async_show_form(
            step_id="agent",
            data_schema=agent_schema(self.hass, self._models, {}, advanced=False),
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
            models, errors = await async_probe(self.hass, url, api_key)
            if not errors and entry.options.get(CONF_MODEL) not in models:
                errors = {"base": "model_not_served"}
            if not errors:
                data = {CONF_URL: url} | ({CONF_API_KEY: api_key} if api_key else {})
                return self.async_update_reload_and_abort(entry, data=data)
        current = user_input or entry.data
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=endpoint_schema(
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
            data_schema=openai_key_schema(),
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
                return self.async_create_entry(data=agent_options(options))
        models, _errors = await async_probe(
            self.hass, entry.data[CONF_URL], entry.data.get(CONF_API_KEY)
        )
        current = {**entry.options, **(user_input or {})}
        if current.get(CONF_MODEL) and current[CONF_MODEL] not in models:
            models = [current[CONF_MODEL], *models]
        schema = agent_schema(self.hass, models, current, advanced=True)
        return self.async_show_form(
            step_id="init", data_schema=schema.extend(cloud_fields(current)), errors=errors
        )

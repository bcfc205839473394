"""Setting the agent up in the UI, changing it, and taking it away."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant import config_entries
from homeassistant.components import conversation
from homeassistant.components.conversation.agent_manager import async_get_agent
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_SUPPORTED_FEATURES, CONF_LLM_HASS_API
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import llm
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped,unused-ignore]
    MockConfigEntry,
)

from custom_components.hybrid_voice.const import (
    CONF_API_KEY,
    CONF_INSTANT,
    CONF_LANGUAGE,
    CONF_MODEL,
    CONF_PROMPT,
    CONF_URL,
    DEFAULT_URL,
    DOMAIN,
    NO_CONTROL,
)

from .conftest import TEST_MODEL, async_add_agent
from .web_servers import closed_port_url, html_site, scripted_model

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _schema(result: Any) -> Any:
    schema = result["data_schema"]
    assert schema is not None
    return schema.schema


async def _start(hass: HomeAssistant) -> str:
    assert await async_setup_component(hass, "homeassistant", {})
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    schema_defaults = {
        str(key): key.default()
        for key in _schema(result)
        if callable(getattr(key, "default", None))
    }
    assert schema_defaults[CONF_URL] == DEFAULT_URL
    return str(result["flow_id"])


def _agent_entity(hass: HomeAssistant, entry: MockConfigEntry | config_entries.ConfigEntry) -> str:
    entity_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
    assert entity_id is not None
    return entity_id


async def test_user_sets_up_the_agent_against_the_local_server(
    hass: HomeAssistant, endpoint_url: str
) -> None:
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_URL: endpoint_url + "/"})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "agent"
    models = _schema(result)[CONF_MODEL].config["options"]
    assert TEST_MODEL in models

    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {
            CONF_MODEL: TEST_MODEL,
            CONF_LLM_HASS_API: llm.LLM_API_ASSIST,
            CONF_PROMPT: "You are Jarvis.",
            CONF_LANGUAGE: "en",
        },
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.data == {CONF_URL: endpoint_url}
    assert entry.options[CONF_MODEL] == TEST_MODEL
    assert entry.state is ConfigEntryState.LOADED
    state = hass.states.get(_agent_entity(hass, entry))
    assert state is not None
    control = conversation.ConversationEntityFeature.CONTROL
    assert state.attributes[ATTR_SUPPORTED_FEATURES] & control


async def test_unreachable_endpoint_is_explained(hass: HomeAssistant) -> None:
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_URL: closed_port_url()})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}


async def test_web_page_is_not_an_openai_endpoint(hass: HomeAssistant) -> None:
    flow_id = await _start(hass)
    async with html_site() as url:
        result = await hass.config_entries.flow.async_configure(flow_id, {CONF_URL: url})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_openai_compatible"}


async def test_same_endpoint_and_model_twice_is_refused(
    hass: HomeAssistant, endpoint_url: str
) -> None:
    MockConfigEntry(
        domain=DOMAIN, data={CONF_URL: endpoint_url}, options={CONF_MODEL: TEST_MODEL}
    ).add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_URL: endpoint_url})
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_MODEL: TEST_MODEL, CONF_LLM_HASS_API: NO_CONTROL, CONF_LANGUAGE: "en"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_options_change_the_running_agent(hass: HomeAssistant, endpoint_url: str) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    entry = await async_add_agent(hass, endpoint_url)
    entity_id = _agent_entity(hass, entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert _schema(result)[CONF_MODEL].config["options"][0] == TEST_MODEL
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_MODEL: TEST_MODEL,
            CONF_LLM_HASS_API: NO_CONTROL,
            CONF_PROMPT: "Be brief.",
            CONF_LANGUAGE: "de",
            CONF_INSTANT: False,
            "entity_token_budget": 300,
        },
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_LLM_HASS_API not in entry.options
    assert entry.options[CONF_INSTANT] is False
    assert entry.options["entity_token_budget"] == 300
    assert entry.state is ConfigEntryState.LOADED
    state = hass.states.get(entity_id)
    assert state is not None
    assert not state.attributes.get(ATTR_SUPPORTED_FEATURES, 0) & (
        conversation.ConversationEntityFeature.CONTROL
    )


async def test_reconfigure_moves_the_agent_to_another_address(
    hass: HomeAssistant, endpoint_url: str
) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    entry = await async_add_agent(hass, endpoint_url)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: closed_port_url()}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    other_address = endpoint_url.replace("127.0.0.1", "localhost")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: other_address}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_URL] == other_address
    assert entry.state is ConfigEntryState.LOADED


async def test_unload_removes_the_agent(hass: HomeAssistant, endpoint_url: str) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    entry = await async_add_agent(hass, endpoint_url)
    entity_id = _agent_entity(hass, entry)
    assert async_get_agent(hass, entity_id) is not None
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert async_get_agent(hass, entity_id) is None


async def test_endpoint_down_at_start_up_retries(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    entry = MockConfigEntry(
        domain=DOMAIN, data={CONF_URL: closed_port_url()}, options={CONF_MODEL: TEST_MODEL}
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_endpoint_that_wants_a_key_is_explained_then_accepted_with_it(
    hass: HomeAssistant,
) -> None:
    flow_id = await _start(hass)
    async with scripted_model([], models=(TEST_MODEL,), api_key="sesame") as (url, _requests):
        result = await hass.config_entries.flow.async_configure(flow_id, {CONF_URL: url})
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": "invalid_auth"}
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_URL: url, CONF_API_KEY: "sesame"}
        )
    assert result["step_id"] == "agent"


async def test_endpoint_without_models_is_explained(hass: HomeAssistant) -> None:
    flow_id = await _start(hass)
    async with scripted_model([], models=()) as (url, _requests):
        result = await hass.config_entries.flow.async_configure(flow_id, {CONF_URL: url})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "no_models"}


async def test_unexpected_error_is_explained_and_logged(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    flow_id = await _start(hass)
    # The HTTP client cannot even parse this address (an unclosed IPv6 bracket).
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_URL: "http://[::1/v1"})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected error while checking the endpoint http://[::1/v1" in caplog.text
    assert "Traceback" in caplog.text


async def test_refused_key_at_start_up_is_a_set_up_error(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    async with scripted_model([], models=(TEST_MODEL,), api_key="sesame") as (url, _requests):
        entry = MockConfigEntry(
            domain=DOMAIN,
            data={CONF_URL: url, CONF_API_KEY: "wrong"},
            options={CONF_MODEL: TEST_MODEL},
        )
        entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    # A wrong key does not fix itself: no retries, the user is told to reconfigure.
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.reason is not None
    assert "refused the API key" in entry.reason

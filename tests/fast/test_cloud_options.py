"""The fast path's options and re-authentication, against the Realtime stand-in."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.const import CONF_LLM_HASS_API
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from bench.realtime_standin import RealtimeStandin
from custom_components.hybrid_voice.const import (
    CONF_MODEL,
    CONF_OPENAI_KEY,
    CONF_REALTIME_URL,
    CONF_ROUTING,
    DOMAIN,
    NO_CONTROL,
    ROUTING_AUTO,
)

from .agent_fixtures import hybrid_agent
from .conftest import API_KEY, JOKE, wait_until

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _form(standin: RealtimeStandin, key: str) -> dict[str, Any]:
    return {
        CONF_MODEL: "scripted",
        CONF_LLM_HASS_API: NO_CONTROL,
        CONF_OPENAI_KEY: key,
        CONF_ROUTING: ROUTING_AUTO,
        CONF_REALTIME_URL: standin.base_url,
    }


async def test_a_wrong_key_is_refused_and_a_pasted_key_is_cleaned_and_works(
    hass: HomeAssistant, standin: RealtimeStandin, caplog: pytest.LogCaptureFixture
) -> None:
    async with hybrid_agent(hass, standin, connect=False, **{CONF_OPENAI_KEY: ""}) as agent:
        flow = await hass.config_entries.options.async_init(agent.entry.entry_id)
        result = await hass.config_entries.options.async_configure(
            flow["flow_id"], _form(standin, "sk-wrong-key")
        )
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": "invalid_openai_key"}
        assert not agent.entry.options.get(CONF_OPENAI_KEY)

        pasted = f"  {API_KEY[:8]}\n{API_KEY[8:]} \n"
        result = await hass.config_entries.options.async_configure(
            flow["flow_id"], _form(standin, pasted)
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        await hass.async_block_till_done()
        assert agent.entry.options[CONF_OPENAI_KEY] == API_KEY
        # The agent restarted with the key and answers chit-chat from the cloud.
        await agent.connected()
        assert await agent.speech("tell me a joke") == JOKE
    assert "sk-wrong-key" not in caplog.text
    assert API_KEY not in caplog.text


async def test_an_unreachable_endpoint_is_refused(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with hybrid_agent(hass, standin, connect=False, **{CONF_OPENAI_KEY: ""}) as agent:
        flow = await hass.config_entries.options.async_init(agent.entry.entry_id)
        form = _form(standin, API_KEY) | {CONF_REALTIME_URL: "http://127.0.0.1:9/v1"}
        result = await hass.config_entries.options.async_configure(flow["flow_id"], form)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "realtime_unreachable"}


async def test_reauth_takes_a_new_key_after_it_was_checked(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    standin.api_key = "sk-the-new-key"
    async with hybrid_agent(hass, standin, connect=False) as agent:

        def reauth_flows() -> list[Any]:
            flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
            return [flow for flow in flows if flow["context"]["source"] == "reauth"]

        await wait_until(lambda: len(reauth_flows()) == 1)
        flow_id = reauth_flows()[0]["flow_id"]
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_OPENAI_KEY: "sk-still-wrong"}
        )
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": "invalid_openai_key"}
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_OPENAI_KEY: " sk-the-new-key\n"}
        )
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "reauth_successful"
        await hass.async_block_till_done()
        assert agent.entry.options[CONF_OPENAI_KEY] == "sk-the-new-key"
        await agent.connected()
        assert await agent.speech("tell me a joke") == JOKE

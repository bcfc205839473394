"""A model server announced over zeroconf becomes an agent after one confirmation."""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

import pytest
from homeassistant import config_entries
from homeassistant.const import CONF_LLM_HASS_API
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import llm
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo
from homeassistant.setup import async_setup_component

from custom_components.hybrid_voice.const import CONF_LANGUAGE, CONF_MODEL, CONF_URL, DOMAIN

from .conftest import TEST_MODEL, async_add_agent
from .web_servers import closed_port_url, html_site

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _announcement(url: str, **properties: str) -> ZeroconfServiceInfo:
    """What the model server announces (`hybrid-voice-llm --zeroconf`)."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    return ZeroconfServiceInfo(
        ip_address=ip_address(parts.hostname),
        ip_addresses=[ip_address(parts.hostname)],
        port=parts.port,
        hostname="models.local.",
        type="_hybridvoice-llm._tcp.local.",
        name="hybrid-voice-llm._hybridvoice-llm._tcp.local.",
        properties={
            "api": "openai",
            "path": "/v1",
            "model": TEST_MODEL,
            "health": "/health",
            **properties,
        },
    )


async def _discover(hass: HomeAssistant, info: ZeroconfServiceInfo) -> Any:
    assert await async_setup_component(hass, "homeassistant", {})
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_ZEROCONF}, data=info
    )


async def test_discovered_server_becomes_an_agent_after_confirmation(
    hass: HomeAssistant, endpoint_url: str
) -> None:
    result = await _discover(hass, _announcement(endpoint_url))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "zeroconf_confirm"
    assert result["description_placeholders"] == {"url": endpoint_url, "model": TEST_MODEL}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["step_id"] == "agent"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_MODEL: TEST_MODEL, CONF_LLM_HASS_API: llm.LLM_API_ASSIST, CONF_LANGUAGE: "en"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_URL: endpoint_url}
    assert result["options"][CONF_MODEL] == TEST_MODEL


async def test_server_already_used_by_an_agent_is_not_offered_again(
    hass: HomeAssistant, endpoint_url: str
) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    await async_add_agent(hass, endpoint_url)
    result = await _discover(hass, _announcement(endpoint_url))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize("api", ["ollama", ""])
async def test_announcement_of_another_api_is_ignored(hass: HomeAssistant, api: str) -> None:
    result = await _discover(hass, _announcement(closed_port_url(), api=api))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_openai_compatible"


async def test_announced_server_that_does_not_answer_is_not_offered(hass: HomeAssistant) -> None:
    result = await _discover(hass, _announcement(closed_port_url()))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_announced_server_that_is_a_web_page_is_not_offered(hass: HomeAssistant) -> None:
    async with html_site() as url:
        result = await _discover(hass, _announcement(url))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_openai_compatible"

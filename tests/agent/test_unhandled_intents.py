"""A sentence Home Assistant matches to an intent nothing here handles goes to the model.

"add yoghurt to the list" reads as the shopping list integration's intent; in a home
whose lists are other to-do lists, the instant tier must leave it to the think path
instead of speaking Home Assistant's "Unknown intent HassShoppingListAddItem".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from bench.assist_dataset import load_home
from bench.virtual_home import async_build_home
from custom_components.hybrid_voice.const import DOMAIN
from tests.agent.conftest import async_add_agent
from tests.agent.web_servers import reply_delta, scripted_model

FIXTURES = """
entities:
  - {name: Shopping List, id: todo.shopping_list, state: "1", attributes: {items: [bananas]}}
"""


@pytest.mark.usefixtures("socket_enabled")
async def test_a_list_sentence_without_the_shopping_list_integration_reaches_the_model(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    (tmp_path / "_fixtures.yaml").write_text(FIXTURES)
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    await async_build_home(hass, load_home(tmp_path))
    await conversation.async_prepare_agent(hass, conversation.HOME_ASSISTANT_AGENT, "en")
    async with scripted_model([reply_delta('["add_item Shopping List yoghurt"]')]) as (
        url,
        requests,
    ):
        entry = await async_add_agent(hass, url)  # the instant tier on
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        result = await conversation.async_converse(
            hass, "add yoghurt to the list", None, Context(), language="en", agent_id=agent_id
        )
    speech = result.response.speech["plain"]["speech"]
    assert "Unknown intent" not in speech
    assert "Hass" not in speech
    assert len(requests) == 1
    response: Any = await hass.services.async_call(
        "todo",
        "get_items",
        {"entity_id": "todo.shopping_list"},
        blocking=True,
        return_response=True,
    )
    summaries = [item["summary"] for item in response["todo.shopping_list"]["items"]]
    assert summaries == ["bananas", "yoghurt"]


WINDOWS = """
areas: [{name: Study, id: study}, {name: Bathroom, id: bathroom}]
entities:
  - {name: Skylight, id: cover.skylight, area: study, state: closed,
     attributes: {device_class: cover.CoverDeviceClass.WINDOW, current_position: 0}}
  - {name: Bathroom Window, id: binary_sensor.bathroom_window, area: bathroom, state: "on",
     attributes: {device_class: binary_sensor.BinarySensorDeviceClass.WINDOW}}
"""


@pytest.mark.usefixtures("socket_enabled")
async def test_a_question_about_windows_is_not_answered_from_the_window_covers_alone(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    (tmp_path / "_fixtures.yaml").write_text(WINDOWS)
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    await async_build_home(hass, load_home(tmp_path))
    await conversation.async_prepare_agent(hass, conversation.HOME_ASSISTANT_AGENT, "en")
    reply = reply_delta('{"answer":"Yes, the bathroom window is open."}')
    async with scripted_model([reply]) as (url, requests):
        entry = await async_add_agent(hass, url)  # the instant tier on
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        result = await conversation.async_converse(
            hass, "is any window open?", None, Context(), language="en", agent_id=agent_id
        )
    assert len(requests) == 1  # Home Assistant's matcher would have said "No"
    assert "Bathroom Window: open" in requests[0]["messages"][-1]["content"]
    assert result.response.speech["plain"]["speech"] == "Yes, the bathroom window is open."

"""What the local model is shown, as reviewable snapshots.

A prompt change shows up in review as a diff of `snapshots/test_prompt_snapshots.ambr`.

Update them on purpose with `script/test tests/agent/test_prompt_snapshots.py
--snapshot-update`, and read the diff.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from homeassistant.components import conversation
from homeassistant.components.conversation.chat_log import DATA_CHAT_LOGS
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.syrupy import (  # type: ignore[import-untyped,unused-ignore]
    HomeAssistantSnapshotExtension,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.hybrid_voice.const import CONF_INSTANT, CONF_MODEL, DOMAIN
from custom_components.hybrid_voice.engine.home_model import EntityInfo, ExposedHome
from custom_components.hybrid_voice.engine.prompt import prefix_messages

from .conftest import async_add_agent, async_setup_home
from .web_servers import reply_delta, scripted_model

pytestmark = pytest.mark.usefixtures("socket_enabled")

HOME = ExposedHome(
    [
        EntityInfo("light.kitchen_light", "Kitchen Light", "light", "Kitchen", state="on"),
        EntityInfo("cover.garage_door", "Garage Door", "cover", "Garage", ("Big Door",)),
        EntityInfo("lock.front_door", "Front Door", "lock", "Hallway", state="locked"),
        EntityInfo("climate.hall", "Hall Thermostat", "climate", "Hallway", state="heat"),
        EntityInfo("todo.shopping", "Shopping List", "todo", items=("eggs",)),
    ],
    ["Garage", "Hallway", "Kitchen"],
)
TOOLS = ("HassTurnOn", "HassTurnOff", "HassLightSet", "HassClimateSetTemperature")


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in Home Assistant's format, in `snapshots/` beside the tests."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


def test_think_prompt_prefix_for_a_fixed_home(snapshot: SnapshotAssertion) -> None:
    prefix, all_listed = prefix_messages("You are a test assistant.", "en", HOME, TOOLS, 600)
    assert all_listed
    assert prefix == snapshot


async def _tool_using_turn(hass: HomeAssistant) -> tuple[list[Any], str]:
    """One think-path turn that turns on the kitchen light.

    Returns the model's requests and the conversation id.
    """
    await async_setup_home(hass)
    async with scripted_model([reply_delta('["turn_on Kitchen Light"]')]) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False, CONF_MODEL: "scripted"})
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        result = await conversation.async_converse(
            hass, "turn on the kitchen light", None, Context(), language="en", agent_id=agent_id
        )
    assert result.response.speech["plain"]["speech"] == "Turned on Kitchen Light."
    assert result.conversation_id is not None
    return requests, result.conversation_id


async def test_request_body_of_one_turn(hass: HomeAssistant, snapshot: SnapshotAssertion) -> None:
    requests, _conversation_id = await _tool_using_turn(hass)
    assert len(requests) == 1
    assert requests[0] == snapshot


async def test_chat_log_after_a_tool_using_turn(
    hass: HomeAssistant, snapshot: SnapshotAssertion
) -> None:
    _requests, conversation_id = await _tool_using_turn(hass)
    chat_log = hass.data[DATA_CHAT_LOGS][conversation_id]
    ids: dict[str, str] = {}
    contents = []
    # The system prompt carries the time of day; the rest is the same on every run.
    for content in chat_log.content[1:]:
        shown = dataclasses.asdict(content)
        for call in shown.get("tool_calls") or ():
            call["id"] = ids.setdefault(call["id"], f"call {len(ids) + 1}")
        if "tool_call_id" in shown:
            shown["tool_call_id"] = ids.get(shown["tool_call_id"], "unknown call")
        contents.append(shown)
    assert contents == snapshot

"""An action Home Assistant reports as done is confirmed only when the device changed.

Home Assistant's HassTurnOn waits a moment for the light's service and then reports
success whatever the service does; the agent checks the light's state before it says
"Turned on".
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
from bench.virtual_devices import VirtualLight
from bench.virtual_home import async_build_home
from custom_components.hybrid_voice.const import CONF_INSTANT, DOMAIN
from custom_components.hybrid_voice.engine.home_model import ToolCallRecord
from custom_components.hybrid_voice.engine.outcomes import as_failure, unchanged
from tests.agent.conftest import async_add_agent
from tests.agent.web_servers import reply_delta, scripted_model

FIXTURES = """
areas: [{name: Kitchen, id: kitchen}, {name: Hall, id: hall}]
entities:
  - {name: Kitchen Light, id: light.kitchen_light, area: kitchen, state: "off"}
  - {name: Hall Light, id: light.hall_light, area: hall, state: "off"}
"""


def _turned_on(*ids: str) -> ToolCallRecord:
    success = [{"type": "entity", "id": i, "name": i.split(".")[1].title()} for i in ids]
    return ToolCallRecord("HassTurnOn", {}, {"data": {"success": success, "failed": []}})


def test_a_device_not_in_the_state_its_action_leaves_was_not_changed() -> None:
    call = _turned_on("light.kitchen", "lock.front")
    assert unchanged(call, {"light.kitchen": "on", "lock.front": "locking"}) == []
    assert unchanged(call, {"light.kitchen": "off", "lock.front": "unlocked"}) == [
        ("Kitchen", "off"),
        ("Front", "unlocked"),
    ]
    assert unchanged(call, {"light.kitchen": None}) == [("Kitchen", "unavailable")]
    # A script's or a media player's state after running is not fixed: never judged.
    assert unchanged(_turned_on("script.movie", "media_player.tv"), {"script.movie": "off"}) == []
    failed = as_failure(call, [("Kitchen", "off")])
    assert failed.result == {"error": "NotChanged", "error_text": "Kitchen is still off"}


async def _agent_in_home(hass: HomeAssistant, tmp_path: Path, url: str) -> str:
    (tmp_path / "_fixtures.yaml").write_text(FIXTURES)
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    await async_build_home(hass, load_home(tmp_path))
    entry = await async_add_agent(hass, url, **{CONF_INSTANT: False})
    agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
    assert agent_id is not None
    return agent_id


async def _say(hass: HomeAssistant, agent_id: str, text: str) -> str:
    result = await conversation.async_converse(
        hass, text, None, Context(), language="en", agent_id=agent_id
    )
    return str(result.response.speech["plain"]["speech"])


@pytest.mark.usefixtures("socket_enabled")
async def test_a_light_that_does_not_respond_is_reported_not_confirmed(
    hass: HomeAssistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def ignores(self: VirtualLight, **kwargs: Any) -> None:
        """A light out of reach: the command goes nowhere."""

    monkeypatch.setattr(VirtualLight, "async_turn_on", ignores)
    async with scripted_model([reply_delta('["turn_on Kitchen Light"]')]) as (url, requests):
        agent_id = await _agent_in_home(hass, tmp_path, url)
        speech = await _say(hass, agent_id, "turn on the kitchen light")
    assert hass.states.is_state("light.kitchen_light", "off")
    assert "Turned on" not in speech
    assert speech == "I couldn't do that: Kitchen Light is still off."
    assert len(requests) == 1  # the device failed, not the plan: no second round


@pytest.mark.usefixtures("socket_enabled")
async def test_of_two_lights_the_one_that_changed_is_confirmed_the_other_reported(
    hass: HomeAssistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    working = VirtualLight.async_turn_on

    async def hall_unreachable(self: VirtualLight, **kwargs: Any) -> None:
        if self.entity_id != "light.hall_light":
            await working(self, **kwargs)

    monkeypatch.setattr(VirtualLight, "async_turn_on", hall_unreachable)
    reply = reply_delta('["turn_on Kitchen Light","turn_on Hall Light"]')
    async with scripted_model([reply]) as (url, requests):
        agent_id = await _agent_in_home(hass, tmp_path, url)
        speech = await _say(hass, agent_id, "turn on the kitchen light and the hall light")
    assert hass.states.is_state("light.kitchen_light", "on")
    assert hass.states.is_state("light.hall_light", "off")
    assert speech == "Turned on Kitchen Light. I couldn't do that: Hall Light is still off."
    assert len(requests) == 1

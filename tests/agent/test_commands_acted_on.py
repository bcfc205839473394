"""A command is carried out or refused; words about the device never stand in for it.

A small model answers "get Robo cleaning" with "Robo is already docked." or "close the
garage door" with "Closed the garage door." without a plan: the answer goes back to
the model once, asking it to act. An action that would change nothing the user asked
for (sending a docked vacuum to its dock) is not run; the agent says how it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from bench.assist_dataset import load_home
from bench.virtual_home import async_build_home
from custom_components.hybrid_voice.const import CONF_INSTANT, DOMAIN
from custom_components.hybrid_voice.engine.claims import claims_done, claims_state
from custom_components.hybrid_voice.engine.home_model import EntityInfo
from custom_components.hybrid_voice.engine.outcomes import already_done
from tests.agent.conftest import async_add_agent
from tests.agent.web_servers import reply_delta, scripted_model

FIXTURES = """
areas: [{name: Garage, id: garage}]
entities:
  - {name: Robo, id: vacuum.robo, state: docked}
  - {name: Garage Door, id: cover.garage_door, area: garage, state: open,
     attributes: {device_class: cover.CoverDeviceClass.GARAGE, current_position: 100}}
"""


def test_answers_that_stand_in_for_an_action_are_recognised() -> None:
    assert claims_state("Robo is already docked.")
    assert claims_done("Closed all garage doors.")
    assert claims_done("I've turned on the fan")
    assert not claims_done("The garage door is closed.")
    assert not claims_state("There is no telly here.")


def test_an_action_that_would_change_nothing_is_known() -> None:
    docked = EntityInfo("vacuum.robo", "Robo", "vacuum", state="docked")
    assert already_done("HassVacuumReturnToBase", docked)
    assert not already_done("HassVacuumStart", docked)
    locked = EntityInfo("lock.front", "Front Door", "lock", state="locked")
    assert already_done("HassTurnOn", locked)
    assert not already_done("HassTurnOff", locked)


async def _run(hass: HomeAssistant, tmp_path: Path, replies: list[Any], text: str) -> Any:
    (tmp_path / "_fixtures.yaml").write_text(FIXTURES)
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    await async_build_home(hass, load_home(tmp_path))
    async with scripted_model(replies) as (url, requests):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False})
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        result = await conversation.async_converse(
            hass, text, None, Context(), language="en", agent_id=agent_id
        )
    return result.response.speech["plain"]["speech"], requests


@pytest.mark.usefixtures("socket_enabled")
async def test_a_docked_vacuum_told_to_stop_is_not_sent_to_its_dock(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    speech, requests = await _run(
        hass, tmp_path, [reply_delta('["return_to_base Robo"]')], "stop robo"
    )
    assert hass.states.is_state("vacuum.robo", "docked")
    assert speech == "Robo is already docked."
    assert len(requests) == 1


@pytest.mark.usefixtures("socket_enabled")
async def test_a_command_answered_with_the_devices_state_is_asked_to_act(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    replies = [reply_delta('{"answer":"Robo is already docked."}'), reply_delta('["start Robo"]')]
    speech, requests = await _run(hass, tmp_path, replies, "get robo cleaning")
    assert hass.states.is_state("vacuum.robo", "cleaning")
    assert len(requests) == 2
    assert "write the plan" in requests[1]["messages"][-1]["content"]
    assert "docked" not in speech


@pytest.mark.usefixtures("socket_enabled")
async def test_an_action_claimed_in_words_only_is_never_said(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    claimed = reply_delta('{"answer":"Closed the garage door."}')
    speech, requests = await _run(hass, tmp_path, [claimed], "shut the garage door")
    assert hass.states.is_state("cover.garage_door", "open")
    assert len(requests) == 2
    assert speech == "I couldn't do that: nothing was changed."


@pytest.mark.usefixtures("socket_enabled")
async def test_a_command_about_nothing_here_is_never_answered_as_done(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    claimed = reply_delta('{"answer":"Closed the barn doors."}')
    speech, requests = await _run(hass, tmp_path, [claimed], "close the barn doors")
    assert "Garage Door" not in json.dumps(requests[0]["response_format"])  # nothing to act on
    assert hass.states.is_state("cover.garage_door", "open")
    assert len(requests) == 1  # no plan could do it: not asked again
    assert speech == "I couldn't do that: nothing was changed."

"""The hybrid agent in a real Home Assistant, with the Realtime stand-in as the cloud."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import chat_session
from homeassistant.helpers import issue_registry as ir

from bench.realtime_standin import RealtimeStandin, running_standin
from bench.realtime_standin_script import Fault, FunctionCall, ScriptedReply, StandinScript
from custom_components.hybrid_voice.const import (
    CONF_CLOUD_BUDGET,
    CONF_OPENAI_KEY,
    CONF_PRICE_CACHED,
    CONF_PRICE_INPUT,
    CONF_PRICE_OUTPUT,
    DOMAIN,
)
from custom_components.hybrid_voice.fast.cloud_request import HAND_OFF_TOOL
from custom_components.hybrid_voice.fast.fast_turn import (
    BOTH_PATHS_DOWN,
    HOME_CONTROLLER_UNAVAILABLE,
)
from custom_components.hybrid_voice.fast.realtime_session import RealtimeSession

from .agent_fixtures import THINK_ANSWER, home_words, hybrid_agent
from .conftest import API_KEY, DEFAULT_REPLY, JOKE, SCRIPT, wait_until
from .test_privacy_boundary import _mentions

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _cloud_turns(standin: RealtimeStandin) -> list[dict[str, Any]]:
    return [event for record in standin.accepted for event in record.of_type("response.create")]


async def test_chit_chat_streams_from_the_cloud_into_the_chat_log(
    hass: HomeAssistant, socket_enabled: Any
) -> None:
    standin = RealtimeStandin(SCRIPT, api_key=API_KEY, delta_gap_ms=20)
    async with running_standin(standin), hybrid_agent(hass, standin) as agent:
        # Whether the stand-in had finished the response when each delta arrived.
        done_at_delta: list[bool] = []

        def listener(_chat_log: conversation.ChatLog, delta: dict[str, Any]) -> None:
            if delta.get("content"):
                sent = [event["type"] for event in standin.accepted[0].sent]
                done_at_delta.append("response.done" in sent)

        with (
            chat_session.async_get_chat_session(hass) as session,
            conversation.async_get_chat_log(hass, session, chat_log_delta_listener=listener),
        ):
            result = await conversation.async_converse(
                hass, "tell me a joke", session.conversation_id, Context(), "en", agent.agent_id
            )
    assert result.response.speech["plain"]["speech"] == JOKE
    assert len(done_at_delta) > 3
    assert done_at_delta[0] is False  # the first words came before the response ended
    assert agent.think_requests == []


async def test_home_requests_and_think_follow_ups_never_reach_the_cloud(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with hybrid_agent(hass, standin) as agent:
        first = await agent.ask("is the bedroom light on?")
        conversation_id = first.conversation_id
        assert first.response.speech["plain"]["speech"] == THINK_ANSWER
        assert await agent.speech("and the other one?", conversation_id) == THINK_ANSWER
        # A sensor's reading is read from its state, locally, without the model.
        aquarium = await agent.speech("what is the aquarium temperature?", conversation_id)
        assert aquarium == "Aquarium Temperature is 24.5."
        # Chit-chat in the same conversation goes to the cloud without those turns.
        assert await agent.speech("tell me a joke", conversation_id) == JOKE
        assert await agent.speech("tell me another one", conversation_id) == DEFAULT_REPLY
        words = home_words(hass)
    assert len(agent.think_requests) == 2
    turns = _cloud_turns(standin)
    assert [len(turn["response"]["input"]) for turn in turns] == [1, 3]  # fast history only
    recorded = standin.recorded_text()
    assert "tell me a joke" in recorded
    assert [word for word in words if _mentions(recorded, word)] == []


async def test_hand_off_continues_on_the_think_path(
    hass: HomeAssistant, socket_enabled: Any
) -> None:
    script = StandinScript([ScriptedReply("mona lisa", call=FunctionCall(HAND_OFF_TOOL, {}))])
    async with (
        running_standin(RealtimeStandin(script, api_key=API_KEY)) as standin,
        hybrid_agent(hass, standin) as agent,
    ):
        assert await agent.speech("who painted the mona lisa?") == THINK_ANSWER
    assert len(_cloud_turns(standin)) == 1
    assert "who painted the mona lisa?" in agent.think_requests[0]["messages"][-1]["content"]


async def test_twenty_turns_use_one_websocket(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with hybrid_agent(hass, standin) as agent:
        for turn in range(20):
            text = "tell me a joke" if turn % 2 else "what is the capital of France?"
            assert await agent.speech(text) == (JOKE if turn % 2 else DEFAULT_REPLY)
    assert len(standin.connections) == 1
    assert len(_cloud_turns(standin)) == 20
    assert agent.think_requests == []


@pytest.mark.parametrize("fault", [Fault.DROP, Fault.SESSION_EXPIRED])
async def test_a_lost_connection_is_recovered_and_the_turn_answered(
    hass: HomeAssistant, standin: RealtimeStandin, fault: Fault
) -> None:
    async with hybrid_agent(hass, standin) as agent:
        standin.faults.inject(fault)
        assert await agent.speech("tell me a joke") == JOKE
    assert len(standin.accepted) == 2
    assert agent.think_requests == []


@pytest.mark.parametrize("fault", [Fault.RATE_LIMIT, Fault.RESPONSE_SERVER_ERROR, Fault.STALL])
async def test_a_failing_cloud_falls_back_to_the_think_path(
    hass: HomeAssistant, standin: RealtimeStandin, fault: Fault
) -> None:
    async with hybrid_agent(hass, standin) as agent:
        standin.faults.inject(fault)
        assert await agent.speech("tell me a joke") == THINK_ANSWER
        assert await agent.speech("tell me a joke") == JOKE  # the next turn is the cloud's
    assert len(agent.think_requests) == 1


async def test_a_refused_key_starts_reauth_and_the_turn_is_answered_locally(
    hass: HomeAssistant, standin: RealtimeStandin, caplog: pytest.LogCaptureFixture
) -> None:
    standin.api_key = "sk-a-different-key"
    async with hybrid_agent(hass, standin, connect=False) as agent:

        def reauth_flows() -> list[Any]:
            return [
                flow
                for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
                if flow["context"]["source"] == "reauth"
            ]

        await wait_until(lambda: len(reauth_flows()) == 1)
        assert await agent.speech("tell me a joke") == THINK_ANSWER
    assert _cloud_turns(standin) == []
    assert API_KEY not in caplog.text


async def test_a_spent_budget_goes_local_raises_a_repair_issue_and_survives_a_restart(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    budget: dict[str, Any] = {CONF_CLOUD_BUDGET: 0.000001}
    async with hybrid_agent(hass, standin, **budget) as agent:
        assert await agent.speech("tell me a joke") == JOKE  # this reply spends the budget
        assert await agent.speech("tell me a joke") == THINK_ANSWER
        issue_id = f"cloud_budget_spent_{agent.entry.entry_id}"
        issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
        assert issue is not None
        assert issue.translation_key == "cloud_budget_spent"
        assert await hass.config_entries.async_reload(agent.entry.entry_id)
        await hass.async_block_till_done()
        assert await agent.speech("what is the capital of France?") == THINK_ANSWER
    assert len(_cloud_turns(standin)) == 1
    assert len(agent.think_requests) == 2


async def test_two_conversations_at_once_both_get_answers(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with hybrid_agent(hass, standin) as agent:
        first, second = await asyncio.gather(
            agent.speech("tell me a joke"), agent.speech("what is the capital of France?")
        )
    assert (first, second) == (JOKE, DEFAULT_REPLY)
    sent = [code for record in standin.accepted for code in record.errors_sent()]
    assert "conversation_already_has_active_response" not in sent


async def test_without_a_key_everything_stays_local(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with hybrid_agent(hass, standin, connect=False, **{CONF_OPENAI_KEY: ""}) as agent:
        assert agent.entry.runtime_data.fast is None
        assert await agent.speech("tell me a joke") == THINK_ANSWER
    assert standin.connections == []


async def test_a_dead_think_path_says_so_and_is_not_waited_for(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with hybrid_agent(hass, standin) as agent:
        agent.think.down = True
        for _ in range(2):
            assert await agent.speech("turn on the kitchen light") == HOME_CONTROLLER_UNAVAILABLE
        refused = agent.think.refused
        # The breaker is open: the next home request is answered without asking the model.
        assert await agent.speech("is the bedroom light on?") == HOME_CONTROLLER_UNAVAILABLE
        assert agent.think.refused == refused
        # General questions still get the cloud's answer.
        assert await agent.speech("tell me a joke") == JOKE
        # The cloud failing as well: a spoken apology.
        standin.faults.inject(Fault.RESPONSE_SERVER_ERROR)
        assert await agent.speech("tell me a joke") == BOTH_PATHS_DOWN
    assert hass.states.get("light.kitchen_light").state == "off"  # type: ignore[union-attr]


async def test_an_unknown_function_from_the_cloud_is_answered_locally(
    hass: HomeAssistant, socket_enabled: Any, caplog: pytest.LogCaptureFixture
) -> None:
    script = StandinScript([ScriptedReply("joke", call=FunctionCall("unlock_front_door", {}))])
    async with (
        running_standin(RealtimeStandin(script, api_key=API_KEY)) as standin,
        hybrid_agent(hass, standin) as agent,
    ):
        assert await agent.speech("tell me a joke") == THINK_ANSWER
    assert "unknown function 'unlock_front_door'" in caplog.text


async def test_an_unexpected_failure_in_the_fast_path_is_answered_locally(
    hass: HomeAssistant, standin: RealtimeStandin, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken_reply(*_args: Any) -> AsyncIterator[str]:
        for delta in ("This", " breaks"):
            yield {"delta": delta}["text"]  # a KeyError, as a bug in reading an event would

    async with hybrid_agent(hass, standin) as agent:
        with patch.object(RealtimeSession, "reply", broken_reply):
            assert await agent.speech("tell me a joke") == THINK_ANSWER
        assert await agent.speech("tell me a joke") == JOKE
    assert caplog.text.count("fast path failed unexpectedly (KeyError)") == 1


async def test_own_prices_replace_the_list_prices(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    free: dict[str, Any] = {
        CONF_CLOUD_BUDGET: 0.000001,
        CONF_PRICE_INPUT: 0.0,
        CONF_PRICE_CACHED: 0.0,
        CONF_PRICE_OUTPUT: 0.0,
    }
    async with hybrid_agent(hass, standin, **free) as agent:
        for _ in range(2):
            assert await agent.speech("tell me a joke") == JOKE
        fast = agent.entry.runtime_data.fast
        assert fast is not None
        assert fast.budget.responses == 2
        assert fast.budget.spent == 0.0
    assert agent.think_requests == []

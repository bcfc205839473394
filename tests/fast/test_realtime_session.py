"""The fast path's Realtime connection against the local stand-in."""

from __future__ import annotations

import asyncio

import pytest
from homeassistant.core import HomeAssistant

from bench.realtime_standin import RealtimeStandin
from bench.realtime_standin_script import Fault
from custom_components.hybrid_voice.fast.cloud_request import (
    DEFAULT_FAST_INSTRUCTIONS,
    build_cloud_request,
)
from custom_components.hybrid_voice.fast.realtime_errors import (
    HandOffRequested,
    RealtimeAuthFailed,
    RealtimeProtocolError,
    RealtimeRateLimited,
    RealtimeServerError,
    RealtimeTimeout,
)
from custom_components.hybrid_voice.fast.realtime_session import RealtimeSettings, realtime_url

from .conftest import DEFAULT_REPLY, JOKE, NO_HOME, ask, connected_session, wait_until


def test_realtime_url_follows_the_base_url() -> None:
    assert str(realtime_url("https://api.openai.com/v1/", "gpt-realtime-mini")) == (
        "wss://api.openai.com/v1/realtime?model=gpt-realtime-mini"
    )
    assert str(realtime_url("http://127.0.0.1:9/v1", "m")) == "ws://127.0.0.1:9/v1/realtime?model=m"


async def test_a_text_turn_streams_deltas_in_order_before_response_done(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    request = build_cloud_request(DEFAULT_FAST_INSTRUCTIONS, NO_HOME, text="tell me a joke")
    assert request.response is not None
    async with connected_session(hass, standin) as (session, recorder):
        async for delta in session.reply(request.response):
            recorder.timeline.append(delta)
    deltas = recorder.timeline[:-1]
    assert len(deltas) > 3
    assert "".join(deltas) == JOKE
    assert recorder.timeline[-1] == "response.done"
    assert recorder.usages[0]["output_tokens"] > 0
    [create] = standin.accepted[0].of_type("response.create")
    assert create["response"] == request.response


async def test_the_connection_speaks_ga_without_the_beta_header(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with connected_session(hass, standin) as (session, _recorder):
        assert "".join(await ask(session, "capital of france?")) == DEFAULT_REPLY
    record = standin.accepted[0]
    headers = {name.lower(): value for name, value in record.headers.items()}
    assert "openai-beta" not in headers
    assert headers["authorization"] == "Bearer sk-test-standin-key"
    assert record.query == {"model": "gpt-realtime-mini"}
    [update] = record.of_type("session.update")
    assert update["session"]["type"] == "realtime"
    assert update["session"]["output_modalities"] == ["text"]
    assert [tool["name"] for tool in update["session"]["tools"]] == ["hand_off_to_home"]
    assert record.errors_sent() == []


async def test_twenty_turns_use_one_websocket(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with connected_session(hass, standin) as (session, recorder):
        for turn in range(20):
            text = "tell me a joke" if turn % 2 else f"question number {turn}"
            assert "".join(await ask(session, text)) == (JOKE if turn % 2 else DEFAULT_REPLY)
    assert len(standin.connections) == 1
    assert len(standin.accepted[0].of_type("response.create")) == 20
    assert len(recorder.usages) == 20


async def test_two_conversations_at_once_both_get_answers(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with connected_session(hass, standin) as (session, _recorder):
        first, second = await asyncio.gather(
            ask(session, "tell me a joke"), ask(session, "capital of france?")
        )
    assert "".join(first) == JOKE
    assert "".join(second) == DEFAULT_REPLY
    assert "conversation_already_has_active_response" not in standin.accepted[0].errors_sent()


@pytest.mark.parametrize("fault", [Fault.DROP, Fault.SESSION_EXPIRED, Fault.OVERSIZED])
async def test_a_lost_connection_mid_reply_is_recovered(
    hass: HomeAssistant, standin: RealtimeStandin, fault: Fault
) -> None:
    async with connected_session(hass, standin) as (session, _recorder):
        standin.faults.inject(fault)
        assert "".join(await ask(session, "tell me a joke")) == JOKE
        assert "".join(await ask(session, "capital of france?")) == DEFAULT_REPLY
    assert len(standin.accepted) == 2


async def test_an_expired_session_between_turns_is_renewed(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with connected_session(hass, standin) as (session, _recorder):
        await standin.expire_sessions()
        await wait_until(lambda: len(standin.accepted) == 2 and session.connected)
        assert "".join(await ask(session, "tell me a joke")) == JOKE


async def test_an_old_connection_is_renewed_between_turns(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with connected_session(hass, standin, renew_after=0.3) as (session, _recorder):
        await wait_until(lambda: len(standin.accepted) >= 2 and session.connected)
        assert "".join(await ask(session, "tell me a joke")) == JOKE
    assert standin.accepted[0].closed


async def test_a_refused_key_fails_the_turn_and_asks_for_a_new_key(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    standin.api_key = "sk-another-key"
    async with connected_session(hass, standin, wait=False) as (session, recorder):
        with pytest.raises(RealtimeAuthFailed):
            await ask(session, "tell me a joke")
        await wait_until(lambda: recorder.auth_failures == 1)
        with pytest.raises(RealtimeAuthFailed):
            await ask(session, "tell me a joke")
    assert len(standin.connections) == 1  # a refused key is not retried
    assert session.auth_failed


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.TOO_MANY_REQUESTS, RealtimeRateLimited),
        (Fault.SERVER_ERROR, RealtimeServerError),
    ],
)
async def test_a_refused_handshake_raises_its_error(
    hass: HomeAssistant, standin: RealtimeStandin, fault: Fault, error: type[Exception]
) -> None:
    standin.faults.inject(fault)
    async with connected_session(hass, standin, wait=False, backoff_base=5.0) as (session, _):
        with pytest.raises(error):
            await ask(session, "tell me a joke")


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.RATE_LIMIT, RealtimeRateLimited),
        (Fault.RESPONSE_SERVER_ERROR, RealtimeServerError),
        (Fault.STALL, RealtimeTimeout),
    ],
)
async def test_a_failed_reply_raises_its_error_and_the_next_turn_works(
    hass: HomeAssistant, standin: RealtimeStandin, fault: Fault, error: type[Exception]
) -> None:
    async with connected_session(hass, standin, first_delta_timeout=0.5) as (session, _):
        standin.faults.inject(fault)
        with pytest.raises(error):
            await ask(session, "tell me a joke")
        assert "".join(await ask(session, "tell me a joke")) == JOKE
    sent = [code for record in standin.accepted for code in record.errors_sent()]
    assert "conversation_already_has_active_response" not in sent


async def test_hand_off_and_unknown_functions_end_the_turn(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    async with connected_session(hass, standin) as (session, recorder):
        with pytest.raises(HandOffRequested):
            await ask(session, "is anyone in my house")
        with pytest.raises(RealtimeProtocolError, match="get_stock_price"):
            await ask(session, "what is the stock price of X")
        assert "".join(await ask(session, "tell me a joke")) == JOKE
    assert len(recorder.usages) == 3
    assert len(standin.accepted) == 1


async def test_unknown_and_malformed_events_are_ignored_and_logged_once(
    hass: HomeAssistant, standin: RealtimeStandin, caplog: pytest.LogCaptureFixture
) -> None:
    async with connected_session(hass, standin) as (session, _recorder):
        for _ in range(3):
            standin.faults.inject(Fault.NOISE)
            assert "".join(await ask(session, "tell me a joke")) == JOKE
    assert caplog.text.count("response.not_a_real_event") == 1
    assert caplog.text.count("malformed server frame") == 1
    assert "sk-test-standin-key" not in caplog.text


def test_settings_defaults_renew_before_the_sixty_minute_limit() -> None:
    settings = RealtimeSettings(base_url="x", api_key="k", model="m")
    assert settings.renew_after < 60 * 60


async def test_a_reconnect_loop_logs_its_failure_once(
    hass: HomeAssistant, standin: RealtimeStandin, caplog: pytest.LogCaptureFixture
) -> None:
    standin.faults.inject(Fault.SERVER_ERROR, times=5)
    async with connected_session(hass, standin, wait=False, backoff_base=0.01) as (session, _):
        await wait_until(lambda: session.connected)
        assert "".join(await ask(session, "tell me a joke")) == JOKE
    assert len(standin.connections) == 6
    assert caplog.text.count("the service failed (HTTP 500)") == 1
    assert caplog.text.count("connected again") == 1

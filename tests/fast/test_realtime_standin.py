"""The stand-in refuses what the Realtime service refuses, and records what it got."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from bench.realtime_standin import RealtimeStandin, running_standin
from bench.realtime_standin_script import Fault, StandinScript

from .conftest import API_KEY

HEADERS = {"Authorization": f"Bearer {API_KEY}"}
pytestmark = pytest.mark.usefixtures("socket_enabled")


async def _until(ws: aiohttp.ClientWebSocketResponse, wanted: str) -> dict[str, Any]:
    while True:
        event: dict[str, Any] = await ws.receive_json(timeout=5)
        if event["type"] == wanted:
            return event


async def test_a_beta_client_is_closed_with_4000(standin: RealtimeStandin) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(
            f"ws://127.0.0.1:{standin.port}/v1/realtime?model=gpt-realtime",
            headers=HEADERS | {"OpenAI-Beta": "realtime=v1"},
        ) as ws,
    ):
        error = await _until(ws, "error")
        message = await ws.receive(timeout=5)
    assert error["error"]["code"] == "beta_api_shape_disabled"
    assert message.type is aiohttp.WSMsgType.CLOSE
    assert ws.close_code == 4000


async def test_a_session_without_type_and_a_second_active_response_are_refused(
    socket_enabled: Any,
) -> None:
    standin = RealtimeStandin(StandinScript(), api_key=API_KEY, latency_ms=300)
    async with (
        running_standin(standin),
        aiohttp.ClientSession() as http,
        http.ws_connect(
            f"ws://127.0.0.1:{standin.port}/v1/realtime?model=gpt-realtime", headers=HEADERS
        ) as ws,
    ):
        await _until(ws, "session.created")
        await ws.send_json({"type": "session.update", "session": {"instructions": "hi"}})
        missing = await _until(ws, "error")
        await ws.send_json({"type": "session.update", "session": {"type": "realtime"}})
        await _until(ws, "session.updated")
        for _ in range(2):
            await ws.send_json({"type": "response.create", "response": {"conversation": "none"}})
        busy = await _until(ws, "error")
        done = await _until(ws, "response.done")
        await ws.send_json({"type": "no.such.event"})
        unknown = await _until(ws, "error")
    assert missing["error"]["code"] == "missing_required_parameter"
    assert missing["error"]["param"] == "session.type"
    assert busy["error"]["code"] == "conversation_already_has_active_response"
    assert done["response"]["status"] == "completed"
    assert done["response"]["usage"]["total_tokens"] > 0
    assert unknown["error"]["code"] == "invalid_value"
    [record] = standin.accepted
    assert [event["type"] for event in record.events][:2] == ["session.update"] * 2
    assert record.query == {"model": "gpt-realtime"}


@pytest.mark.parametrize(
    ("fault", "status"), [(Fault.TOO_MANY_REQUESTS, 429), (Fault.SERVER_ERROR, 500)]
)
async def test_handshake_faults_and_wrong_keys_get_their_http_status(
    standin: RealtimeStandin, fault: Fault, status: int
) -> None:
    standin.faults.inject(fault)
    url = f"ws://127.0.0.1:{standin.port}/v1/realtime?model=m"
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(url, headers=HEADERS)
        with pytest.raises(aiohttp.WSServerHandshakeError) as wrong_key:
            await http.ws_connect(url, headers={"Authorization": "Bearer sk-nope"})
        async with http.get(f"{standin.base_url}/models", headers=HEADERS) as models:
            listed = await models.json()
    assert refused.value.status == status
    assert wrong_key.value.status == 401
    assert "gpt-realtime-mini" in [model["id"] for model in listed["data"]]
    assert len(standin.connections) == 2

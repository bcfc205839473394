"""A token for the demo instance: onboarding on the first start, a login afterwards.

Onboarding makes the owner with the documented demo credentials and finishes the
remaining steps (location, analytics, integrations) with Home Assistant's defaults, as
clicking through the UI does; a later start logs in with the same credentials.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from .ha_api import HomeAssistantError
from .settings import DEMO_NAME, DEMO_PASSWORD, DEMO_USERNAME


async def _json(reply: aiohttp.ClientResponse, what: str) -> Any:
    body = await reply.json(content_type=None)
    if reply.status >= 400:
        raise HomeAssistantError(f"{what}: {reply.status} {body}")
    return body


async def _token(session: aiohttp.ClientSession, url: str, client_id: str, code: str) -> str:
    form = {"grant_type": "authorization_code", "code": code, "client_id": client_id}
    async with session.post(f"{url}/auth/token", data=form) as reply:
        token: str = (await _json(reply, "token"))["access_token"]
    return token


async def _login(session: aiohttp.ClientSession, url: str, client_id: str) -> str:
    start = {"client_id": client_id, "handler": ["homeassistant", None], "redirect_uri": client_id}
    async with session.post(f"{url}/auth/login_flow", json=start) as reply:
        flow = await _json(reply, "login")
    credentials = {"client_id": client_id, "username": DEMO_USERNAME, "password": DEMO_PASSWORD}
    async with session.post(f"{url}/auth/login_flow/{flow['flow_id']}", json=credentials) as reply:
        result = await _json(reply, "login")
    if result.get("type") != "create_entry":
        raise HomeAssistantError(
            f"the demo login ({DEMO_USERNAME}) was refused: {result.get('errors')}; "
            "delete .run/ha-config to start the demo home afresh"
        )
    return await _token(session, url, client_id, result["result"])


async def _finish_steps(
    session: aiohttp.ClientSession, url: str, client_id: str, token: str, done: set[str]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    steps: list[tuple[str, dict[str, Any]]] = [
        ("core_config", {}),
        ("analytics", {}),
        ("integration", {"client_id": client_id, "redirect_uri": client_id}),
    ]
    for step, payload in steps:
        if step in done:
            continue
        async with session.post(
            f"{url}/api/onboarding/{step}", json=payload, headers=headers
        ) as reply:
            await _json(reply, f"onboarding step {step}")


async def async_get_token(session: aiohttp.ClientSession, url: str) -> str:
    """An access token of the demo owner; onboards the instance if nobody has."""
    client_id = f"{url}/"
    async with session.get(f"{url}/api/onboarding") as reply:
        # 404 once onboarding is over (the view is gone after a restart).
        steps = await reply.json(content_type=None) if reply.status == 200 else []
    done = {step["step"] for step in steps if step.get("done")}
    if steps and "user" not in done:
        owner = {
            "client_id": client_id,
            "name": DEMO_NAME,
            "username": DEMO_USERNAME,
            "password": DEMO_PASSWORD,
            "language": "en",
        }
        async with session.post(f"{url}/api/onboarding/users", json=owner) as reply:
            code = (await _json(reply, "onboarding"))["auth_code"]
        token = await _token(session, url, client_id, code)
    else:
        token = await _login(session, url, client_id)
    if steps:
        await _finish_steps(session, url, client_id, token, done)
    return token

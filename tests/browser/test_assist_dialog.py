"""A person at the demo instance's web UI: log in, ask Assist, see the light go on."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from script.local_stack.settings import DEMO_PASSWORD, DEMO_USERNAME
from script.local_stack.stack import connected

from .assist_page import AssistPage
from .conftest import DemoInstance

LIGHT = "light.kitchen"
SENTENCE = "turn on the kitchen light"


async def _state(instance: DemoInstance, entity_id: str, service: str | None = None) -> str:
    async with connected(instance.settings) as api:
        if service is not None:
            await api.rest("POST", f"/api/services/light/{service}", {"entity_id": entity_id})
        state: str = (await api.rest("GET", f"/api/states/{entity_id}"))["state"]
    return state


def test_typed_command_in_the_assist_dialog_turns_on_the_kitchen_light(
    demo_instance: DemoInstance, tmp_path: Path
) -> None:
    assert asyncio.run(_state(demo_instance, LIGHT, "turn_off")) == "off"
    page = AssistPage(demo_instance.browser_url)
    try:
        page.log_in(DEMO_USERNAME, DEMO_PASSWORD)
        page.ask_assist(SENTENCE)
        reply = page.wait_for_reply(to=SENTENCE)
        shot = Path(os.environ.get("HYBRID_VOICE_SCREENSHOT_DIR", tmp_path)) / "assist.png"
        page.screenshot(shot)
        said = [text for who, text in page.messages() if who == "user"]
    finally:
        page.close()
    assert said == [SENTENCE]
    assert "light" in reply.lower(), reply
    assert asyncio.run(_state(demo_instance, LIGHT)) == "on"
    assert shot.stat().st_size > 10_000

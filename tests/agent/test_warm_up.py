"""The prompt-cache warm-up.

The prompt cache is filled once Home Assistant runs, with the very prefix a turn
sends, so the first spoken command does not wait for the whole prefix to be read.
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.hybrid_voice.const import CONF_INSTANT, CONF_MODEL, DOMAIN

from .conftest import async_add_agent, async_setup_home
from .web_servers import reply_delta, scripted_model

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_prompt_cache_is_warmed_with_the_prefix_of_a_real_turn(hass: HomeAssistant) -> None:
    await async_setup_home(hass)
    warm_ups: list[Any] = []
    async with scripted_model([reply_delta('["turn_on Kitchen Light"]')], warm_ups) as (
        url,
        requests,
    ):
        entry = await async_add_agent(hass, url, **{CONF_INSTANT: False, CONF_MODEL: "scripted"})
        await hass.async_block_till_done(wait_background_tasks=True)
        assert len(warm_ups) == 1
        agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
        result = await conversation.async_converse(
            hass, "turn on the kitchen light", None, Context(), language="en", agent_id=agent_id
        )
    assert result.response.speech["plain"]["speech"] == "Turned on Kitchen Light."
    assert warm_ups[0]["max_tokens"] == 1
    prefix = warm_ups[0]["messages"][:-1]
    assert prefix[0]["role"] == "system"
    assert requests[0]["messages"][: len(prefix)] == prefix

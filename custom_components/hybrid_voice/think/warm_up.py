"""Filling the local model's prompt cache before anyone speaks.

A think-path request reuses the KV cache of the stable prefix (system prompt, devices,
worked examples). Right after Home Assistant or the model server starts, that cache is
empty and the first request reads the whole prefix: about 15 s for the 1.5B model on
two cores. Once Home Assistant has started, the agent sends the same prefix with a
one-token request in the background, so the first spoken command is as fast as the
next. A request that arrives meanwhile waits for it and then finds the prefix cached.
"""

from __future__ import annotations

import asyncio

import openai
from homeassistant.components import conversation
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import llm

from custom_components.hybrid_voice.const import DOMAIN, LOGGER
from custom_components.hybrid_voice.engine.prompt import prefix_messages, warm_up_messages

from .home import async_exposed_home
from .rounds import tool_parameters
from .turn_view import ThinkSettings

WARM_UP_TIMEOUT = 300.0  # a cold prefix on a slow CPU; nobody waits for this request


async def async_warm_prefix(
    hass: HomeAssistant,
    client: openai.AsyncOpenAI,
    settings: ThinkSettings,
    api_id: str | None,
) -> None:
    """Send the think path's prefix once, as a turn would, for one token."""
    api: llm.APIInstance | None = None
    if api_id:
        llm_context = llm.LLMContext(
            platform=DOMAIN,
            context=None,
            user_prompt=None,
            language=settings.language,
            assistant=conversation.DOMAIN,
            device_id=None,
        )
        try:
            api = await llm.async_get_api(hass, api_id, llm_context)
        except HomeAssistantError as err:
            LOGGER.debug("Prompt cache not warmed, no LLM API: %s", err)
            return
    prefix, _all_listed = prefix_messages(
        settings.persona,
        settings.language,
        async_exposed_home(hass),
        tool_parameters(api),
        settings.entity_budget,
    )
    try:
        async with asyncio.timeout(WARM_UP_TIMEOUT):
            await client.chat.completions.create(
                model=settings.model,
                messages=warm_up_messages(prefix),  # type: ignore[arg-type]
                max_tokens=1,
                temperature=0,
            )
    except (TimeoutError, openai.OpenAIError) as err:
        LOGGER.debug("Prompt cache not warmed: %s", err)
        return
    LOGGER.debug("Prompt cache warmed for %s", settings.model)

"""The paths that answer a conversation turn: instant tier, fast path, think path.

Instant tier and the pipeline's "prefer handling commands locally": both run Home
Assistant's strict sentence matching (`conversation.async_handle_intents`). When the
pipeline option is on and a sentence matches, the pipeline executes it and never calls
this agent; when it does not match, this agent's instant tier cannot match either
(same matcher, same exposed entities), so it only costs a second lookup of a few
milliseconds and nothing runs twice. With the option off (the default) the instant
tier gives the same speed to every way of talking to the agent: pipelines, the
`conversation.process` action, and other agents that hand over to this one. The one
difference: for agents with device control the pipeline leaves state questions
(HassGetState) to the agent, and the instant tier answers them when they match exactly.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import openai
from homeassistant.components import conversation
from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent, llm
from homeassistant.helpers import template as template_helper

from .const import (
    CONF_ENTITY_BUDGET,
    CONF_LANGUAGE,
    CONF_MODEL,
    CONF_PROMPT,
    CONF_TIMEOUT,
    DEFAULT_ENTITY_BUDGET,
    DEFAULT_MODEL,
    DEFAULT_TIMEOUT,
    DOMAIN,
    LOGGER,
    PROBE_TIMEOUT,
)
from .conversation_results import answer, failed, result, spoken_failure
from .engine.path_health import PathHealth
from .engine.places import choice_question
from .fast.fast_path import FastPath, async_private_words
from .fast.fast_turn import BOTH_PATHS_DOWN, HOME_CONTROLLER_UNAVAILABLE, async_fast_answer
from .fast.turn_router import TurnRouter
from .models import ExposedHome, HybridVoiceConfigEntry
from .think.endpoint import EndpointError, async_list_models
from .think.places import InstantGuard, async_speaker_area, completed_text
from .think.turn import ThinkFailure, ThinkTurn
from .think.turn_view import ThinkSettings


async def async_instant(
    hass: HomeAssistant,
    user_input: conversation.ConversationInput,
    chat_log: conversation.ChatLog,
    text: str,
) -> conversation.ConversationResult | None:
    """The instant tier: Home Assistant's own sentence matching.

    Home Assistant's sentence matching, unless it would act on every device of a
    class for a phrase that names one ("the garage door"): then ask which one.
    """
    if completed_text(chat_log, text) != text:
        return None  # the reply to "which one?": the think path completes the request
    guard = InstantGuard(hass, text)
    response = await conversation.async_handle_intents(hass, user_input, intent_filter=guard)
    if response is not None and response.response_type != intent.IntentResponseType.ERROR:
        speech = response.speech.get("plain", {}).get("speech", "")
        return answer(user_input, chat_log, speech, response)
    if guard.choices:
        return answer(user_input, chat_log, choice_question(guard.choices))
    return None


def think_settings(hass: HomeAssistant, options: Mapping[str, Any], language: str) -> ThinkSettings:
    """The think path's settings from the entry's options, for a turn in `language`."""
    persona = template_helper.Template(
        options.get(CONF_PROMPT) or llm.DEFAULT_INSTRUCTIONS_PROMPT, hass
    ).async_render(parse_result=False)
    return ThinkSettings(
        model=options.get(CONF_MODEL, DEFAULT_MODEL),
        persona=persona,
        language=options.get(CONF_LANGUAGE) or language,
        entity_budget=int(options.get(CONF_ENTITY_BUDGET, DEFAULT_ENTITY_BUDGET)),
        timeout=float(options.get(CONF_TIMEOUT, DEFAULT_TIMEOUT)),
    )


class TurnPaths:
    """The fast and think paths of one agent, with the router and breaker between them."""

    def __init__(self, entry: HybridVoiceConfigEntry) -> None:
        self._entry = entry
        self._router = TurnRouter()
        # A think path slower than its own timeout is as good as down.
        timeout = float(entry.options.get(CONF_TIMEOUT, DEFAULT_TIMEOUT))
        self._think_health = PathHealth("think", slow_seconds=timeout)

    async def async_local(
        self,
        hass: HomeAssistant,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        home: ExposedHome,
    ) -> conversation.ConversationResult:
        """The think path alone (no OpenAI key): its failure is said as it is."""
        try:
            speech = await self._async_think(hass, user_input, chat_log, home)
        except ThinkFailure as err:
            LOGGER.warning("Conversation %s: %s", chat_log.conversation_id, err)
            reason = spoken_failure(self._entry.options, user_input, str(err))
            return failed(user_input, chat_log, reason)
        return result(user_input, chat_log, speech)

    async def _async_think(
        self,
        hass: HomeAssistant,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        home: ExposedHome,
    ) -> str:
        """The think path's answer (already in the chat log); raises ThinkFailure."""
        turn = ThinkTurn(
            self._entry.runtime_data.client,
            think_settings(hass, self._entry.options, user_input.language),
            chat_log,
            user_input,
            home,
            speaker_area=async_speaker_area(hass, user_input.device_id),
        )
        return await turn.async_run()

    async def async_hybrid(
        self,
        hass: HomeAssistant,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        text: str,
        home: ExposedHome,
        fast: FastPath,
    ) -> conversation.ConversationResult:
        """The router's path first, then the other one; a dead path is not waited for."""
        conversation_id = chat_log.conversation_id
        route = self._router.decide(hass, text, home, conversation_id, user_input.language)
        LOGGER.debug("Conversation %s -> %s (%s)", conversation_id, route.path, route.reason)
        if route.path == "fast":
            if (why := fast.unavailable()) is not None:
                LOGGER.debug("Conversation %s: fast path skipped: %s", conversation_id, why)
            else:
                private = async_private_words(hass, home)
                speech = await async_fast_answer(fast, chat_log, user_input.agent_id, text, private)
                if speech is not None:
                    self._router.remember(conversation_id, "fast", speech)
                    return result(user_input, chat_log, speech)
        down = BOTH_PATHS_DOWN if route.path == "fast" else HOME_CONTROLLER_UNAVAILABLE
        if self._think_health.is_open:
            self._probe_think(hass)
            return failed(user_input, chat_log, down)
        started = time.monotonic()
        try:
            speech = await self._async_think(hass, user_input, chat_log, home)
        except ThinkFailure as err:
            LOGGER.warning("Conversation %s: %s", conversation_id, err)
            # The think path is down (not merely unable to do this request) when its
            # model request failed: ThinkTurn raises from a timeout or an OpenAIError.
            if not isinstance(err.__cause__, (TimeoutError, openai.OpenAIError)):
                reason = spoken_failure(self._entry.options, user_input, str(err))
                return failed(user_input, chat_log, reason)
            self._think_health.record_failure(str(err))
            return failed(user_input, chat_log, down)
        self._think_health.record_success(time.monotonic() - started)
        self._router.remember(conversation_id, "think", speech)
        return result(user_input, chat_log, speech)

    def _probe_think(self, hass: HomeAssistant) -> None:
        """While the think path's breaker is open, ask its endpoint now and then."""
        if not self._think_health.probe_due():
            return

        async def probe() -> None:
            ok = False
            try:
                await async_list_models(self._entry.runtime_data.client, PROBE_TIMEOUT)
                ok = True
            except EndpointError:
                pass
            finally:
                self._think_health.probe_finished(ok)

        self._entry.async_create_background_task(hass, probe(), f"{DOMAIN} think probe")

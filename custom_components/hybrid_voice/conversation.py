"""The hybrid_voice conversation agent: instant tier first, then the think path.

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
from dataclasses import replace
from typing import Literal

import openai
from homeassistant.components import assist_pipeline, conversation
from homeassistant.components.conversation.models import AbstractConversationAgent
from homeassistant.const import CONF_LLM_HASS_API, MATCH_ALL
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import intent, llm
from homeassistant.helpers import template as template_helper
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.start import async_at_started

from .const import (
    CONF_ENTITY_BUDGET,
    CONF_INSTANT,
    CONF_LANGUAGE,
    CONF_MODEL,
    CONF_PROMPT,
    CONF_TIMEOUT,
    DEFAULT_ENTITY_BUDGET,
    DEFAULT_INSTANT,
    DEFAULT_MODEL,
    DEFAULT_TIMEOUT,
    DOMAIN,
    LOGGER,
    MAX_UTTERANCE_CHARS,
    PROBE_TIMEOUT,
)
from .engine.path_health import PathHealth
from .engine.places import choice_question
from .engine.replies import failure, phrases_for
from .fast.fast_path import FastPath, async_private_words
from .fast.fast_turn import BOTH_PATHS_DOWN, HOME_CONTROLLER_UNAVAILABLE, async_fast_answer
from .fast.turn_router import TurnRouter
from .models import ExposedHome, HybridVoiceConfigEntry
from .think.endpoint import EndpointError, async_list_models
from .think.home import async_exposed_home, async_with_list_items
from .think.places import InstantGuard, async_speaker_area, completed_text
from .think.turn import ThinkFailure, ThinkSettings, ThinkTurn
from .think.warm_up import async_warm_prefix


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HybridVoiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the agent of this entry."""
    async_add_entities([HybridVoiceAgent(entry)])


class HybridVoiceAgent(conversation.ConversationEntity, AbstractConversationAgent):
    """Answers from Home Assistant's sentence matching or from the local model."""

    _attr_has_entity_name = True
    _attr_name = None
    # Home Assistant versions that stream replies into TTS read this flag.
    _attr_supports_streaming = True

    def __init__(self, entry: HybridVoiceConfigEntry) -> None:
        self.entry = entry
        self._attr_unique_id = entry.entry_id
        self._router = TurnRouter()
        # A think path slower than its own timeout is as good as down.
        timeout = float(entry.options.get(CONF_TIMEOUT, DEFAULT_TIMEOUT))
        self._think_health = PathHealth("think", slow_seconds=timeout)
        self._attr_device_info = dr.DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.title,
            manufacturer="Hybrid Voice",
            model=entry.options.get(CONF_MODEL, DEFAULT_MODEL),
            entry_type=dr.DeviceEntryType.SERVICE,
        )
        if entry.options.get(CONF_LLM_HASS_API):
            self._attr_supported_features = conversation.ConversationEntityFeature.CONTROL

    @property
    def supported_languages(self) -> list[str] | Literal["*"]:
        """The model understands any language; the instant tier follows the input's."""
        return MATCH_ALL

    async def async_added_to_hass(self) -> None:
        """Register as a conversation agent."""
        await super().async_added_to_hass()
        assist_pipeline.async_migrate_engine(
            self.hass, "conversation", self.entry.entry_id, self.entity_id
        )
        conversation.async_set_agent(self.hass, self.entry, self)
        self.async_on_remove(async_at_started(self.hass, self._async_start_warm_up))

    async def _async_start_warm_up(self, hass: HomeAssistant) -> None:
        """Fill the model's prompt cache in the background (see `warm_up`)."""
        settings = self._think_settings(hass.config.language)
        warm_up = async_warm_prefix(
            hass,
            self.entry.runtime_data.client,
            settings,
            self.entry.options.get(CONF_LLM_HASS_API),
        )
        self.entry.async_create_background_task(hass, warm_up, f"{DOMAIN} prompt cache warm-up")

    async def async_will_remove_from_hass(self) -> None:
        """Unregister the agent."""
        conversation.async_unset_agent(self.hass, self.entry)
        await super().async_will_remove_from_hass()

    async def _async_handle_message(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
    ) -> conversation.ConversationResult:
        """Instant tier, then the router's path with the other as its fallback.

        Without an OpenAI key only the think path; failures become a short spoken answer.
        """
        text = user_input.text.strip()
        if not text:
            return self._failed(user_input, chat_log, self._failure(user_input, "nothing_heard"))
        if len(text) > MAX_UTTERANCE_CHARS:
            LOGGER.warning(
                "Conversation %s: utterance of %d characters refused",
                chat_log.conversation_id,
                len(text),
            )
            return self._failed(user_input, chat_log, self._failure(user_input, "too_long"))

        if self.entry.options.get(CONF_INSTANT, DEFAULT_INSTANT) and (
            instant := await self._async_instant(user_input, chat_log, text)
        ):
            return instant

        options = self.entry.options
        try:
            await chat_log.async_update_llm_data(
                DOMAIN, user_input, options.get(CONF_LLM_HASS_API), options.get(CONF_PROMPT)
            )
        except conversation.ConverseError as err:
            return err.as_conversation_result()
        home = async_exposed_home(self.hass)
        home = replace(home, entities=await async_with_list_items(self.hass, home.entities))
        fast = self.entry.runtime_data.fast
        if fast is not None:
            return await self._async_hybrid(user_input, chat_log, text, home, fast)
        return await self._async_local(user_input, chat_log, home)

    async def _async_local(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        home: ExposedHome,
    ) -> conversation.ConversationResult:
        """The think path alone (no OpenAI key): its failure is said as it is."""
        try:
            speech = await self._async_think(user_input, chat_log, home)
        except ThinkFailure as err:
            LOGGER.warning("Conversation %s: %s", chat_log.conversation_id, err)
            return self._failed(user_input, chat_log, self._failure(user_input, str(err)))
        return self._result(user_input, chat_log, speech)

    async def _async_think(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        home: ExposedHome,
    ) -> str:
        """The think path's answer (already in the chat log); raises ThinkFailure."""
        turn = ThinkTurn(
            self.entry.runtime_data.client,
            self._think_settings(user_input.language),
            chat_log,
            user_input,
            home,
            speaker_area=async_speaker_area(self.hass, user_input.device_id),
        )
        return await turn.async_run()

    async def _async_hybrid(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        text: str,
        home: ExposedHome,
        fast: FastPath,
    ) -> conversation.ConversationResult:
        """The router's path first, then the other one; a dead path is not waited for."""
        conversation_id = chat_log.conversation_id
        route = self._router.decide(self.hass, text, home, conversation_id, user_input.language)
        LOGGER.debug("Conversation %s -> %s (%s)", conversation_id, route.path, route.reason)
        if route.path == "fast":
            if (why := fast.unavailable()) is not None:
                LOGGER.debug("Conversation %s: fast path skipped: %s", conversation_id, why)
            else:
                private = async_private_words(self.hass, home)
                speech = await async_fast_answer(fast, chat_log, user_input.agent_id, text, private)
                if speech is not None:
                    self._router.remember(conversation_id, "fast", speech)
                    return self._result(user_input, chat_log, speech)
        down = BOTH_PATHS_DOWN if route.path == "fast" else HOME_CONTROLLER_UNAVAILABLE
        if self._think_health.is_open:
            self._probe_think()
            return self._failed(user_input, chat_log, down)
        started = time.monotonic()
        try:
            speech = await self._async_think(user_input, chat_log, home)
        except ThinkFailure as err:
            LOGGER.warning("Conversation %s: %s", conversation_id, err)
            # The think path is down (not merely unable to do this request) when its
            # model request failed: ThinkTurn raises from a timeout or an OpenAIError.
            if not isinstance(err.__cause__, (TimeoutError, openai.OpenAIError)):
                return self._failed(user_input, chat_log, self._failure(user_input, str(err)))
            self._think_health.record_failure(str(err))
            return self._failed(user_input, chat_log, down)
        self._think_health.record_success(time.monotonic() - started)
        self._router.remember(conversation_id, "think", speech)
        return self._result(user_input, chat_log, speech)

    def _probe_think(self) -> None:
        """While the think path's breaker is open, ask its endpoint now and then."""
        if not self._think_health.probe_due():
            return

        async def probe() -> None:
            ok = False
            try:
                await async_list_models(self.entry.runtime_data.client, PROBE_TIMEOUT)
                ok = True
            except EndpointError:
                pass
            finally:
                self._think_health.probe_finished(ok)

        self.entry.async_create_background_task(self.hass, probe(), f"{DOMAIN} think probe")

    async def _async_instant(
        self,
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
        guard = InstantGuard(self.hass, text)
        response = await conversation.async_handle_intents(
            self.hass, user_input, intent_filter=guard
        )
        if response is not None and response.response_type != intent.IntentResponseType.ERROR:
            speech = response.speech.get("plain", {}).get("speech", "")
            return self._answer(user_input, chat_log, speech, response)
        if guard.choices:
            return self._answer(user_input, chat_log, choice_question(guard.choices))
        return None

    def _think_settings(self, language: str) -> ThinkSettings:
        options = self.entry.options
        persona = template_helper.Template(
            options.get(CONF_PROMPT) or llm.DEFAULT_INSTRUCTIONS_PROMPT, self.hass
        ).async_render(parse_result=False)
        return ThinkSettings(
            model=options.get(CONF_MODEL, DEFAULT_MODEL),
            persona=persona,
            language=options.get(CONF_LANGUAGE) or language,
            entity_budget=int(options.get(CONF_ENTITY_BUDGET, DEFAULT_ENTITY_BUDGET)),
            timeout=float(options.get(CONF_TIMEOUT, DEFAULT_TIMEOUT)),
        )

    def _failure(self, user_input: conversation.ConversationInput, reason: str) -> str:
        """A failure as the agent says it.

        `I couldn't do that: ...` in the configured language (English without a
        lexicon); `reason` is a key of the reply phrases or a reason in words.
        """
        phrases = phrases_for(self.entry.options.get(CONF_LANGUAGE) or user_input.language)
        return failure(phrases.reasons.get(reason, reason), phrases)

    def _failed(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        speech: str,
    ) -> conversation.ConversationResult:
        """The result of a turn that could not be answered.

        A turn that could not be answered: an error response with the spoken reason,
        so pipelines, `conversation.process` callers and automations can tell it from
        an answer.
        """
        response = intent.IntentResponse(language=user_input.language)
        response.async_set_error(intent.IntentResponseErrorCode.UNKNOWN, speech)
        return self._answer(user_input, chat_log, speech, response)

    def _answer(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        speech: str,
        response: intent.IntentResponse | None = None,
    ) -> conversation.ConversationResult:
        """Record the agent's own words in the chat log and return them."""
        chat_log.async_add_assistant_content_without_tools(
            conversation.AssistantContent(agent_id=user_input.agent_id, content=speech)
        )
        return self._result(user_input, chat_log, speech, response)

    @staticmethod
    def _result(
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        speech: str,
        response: intent.IntentResponse | None = None,
    ) -> conversation.ConversationResult:
        if response is None:
            response = intent.IntentResponse(language=user_input.language)
            response.async_set_speech(speech)
        return conversation.ConversationResult(
            response=response,
            conversation_id=chat_log.conversation_id,
            continue_conversation=chat_log.continue_conversation,
        )

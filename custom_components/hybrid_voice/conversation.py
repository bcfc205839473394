"""The hybrid_voice conversation agent: instant tier first, then the think path.

The entity checks the utterance and hands it to its paths (`conversation_paths`): the
instant tier, then the router's choice between the fast and think paths; the words it
answers with become a result in `conversation_results`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from homeassistant.components import assist_pipeline, conversation
from homeassistant.components.conversation.models import AbstractConversationAgent
from homeassistant.const import CONF_LLM_HASS_API, MATCH_ALL
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.start import async_at_started

from .const import (
    CONF_INSTANT,
    CONF_MODEL,
    CONF_PROMPT,
    DEFAULT_INSTANT,
    DEFAULT_MODEL,
    DOMAIN,
    LOGGER,
    MAX_UTTERANCE_CHARS,
)
from .conversation_paths import TurnPaths, async_instant, think_settings
from .conversation_results import failed, spoken_failure
from .models import HybridVoiceConfigEntry
from .think.home import async_exposed_home, async_with_list_items
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
        self._paths = TurnPaths(entry)
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
        settings = think_settings(hass, self.entry.options, hass.config.language)
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
            reason = spoken_failure(self.entry.options, user_input, "nothing_heard")
            return failed(user_input, chat_log, reason)
        if len(text) > MAX_UTTERANCE_CHARS:
            LOGGER.warning(
                "Conversation %s: utterance of %d characters refused",
                chat_log.conversation_id,
                len(text),
            )
            reason = spoken_failure(self.entry.options, user_input, "too_long")
            return failed(user_input, chat_log, reason)

        if self.entry.options.get(CONF_INSTANT, DEFAULT_INSTANT) and (
            instant := await async_instant(self.hass, user_input, chat_log, text)
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
            return await self._paths.async_hybrid(self.hass, user_input, chat_log, text, home, fast)
        return await self._paths.async_local(self.hass, user_input, chat_log, home)

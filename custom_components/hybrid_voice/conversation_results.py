"""How a conversation turn ends: the agent's words as a Home Assistant result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components import conversation
from homeassistant.helpers import intent

from .const import CONF_LANGUAGE
from .engine.replies import failure, phrases_for


def spoken_failure(
    options: Mapping[str, Any], user_input: conversation.ConversationInput, reason: str
) -> str:
    """A failure as the agent says it.

    `I couldn't do that: ...` in the configured language (English without a
    lexicon); `reason` is a key of the reply phrases or a reason in words.
    """
    phrases = phrases_for(options.get(CONF_LANGUAGE) or user_input.language)
    return failure(phrases.reasons.get(reason, reason), phrases)


def failed(
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
    return answer(user_input, chat_log, speech, response)


def answer(
    user_input: conversation.ConversationInput,
    chat_log: conversation.ChatLog,
    speech: str,
    response: intent.IntentResponse | None = None,
) -> conversation.ConversationResult:
    """Record the agent's own words in the chat log and return them."""
    chat_log.async_add_assistant_content_without_tools(
        conversation.AssistantContent(agent_id=user_input.agent_id, content=speech)
    )
    return result(user_input, chat_log, speech, response)


def result(
    user_input: conversation.ConversationInput,
    chat_log: conversation.ChatLog,
    speech: str,
    response: intent.IntentResponse | None = None,
) -> conversation.ConversationResult:
    """The result of a turn whose words are already in the chat log."""
    if response is None:
        response = intent.IntentResponse(language=user_input.language)
        response.async_set_speech(speech)
    return conversation.ConversationResult(
        response=response,
        conversation_id=chat_log.conversation_id,
        continue_conversation=chat_log.continue_conversation,
    )

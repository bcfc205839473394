"""One fast-path turn in Home Assistant's chat log.

The cloud reply is streamed in as it arrives, or None is returned when the think path
must answer instead (the reason is logged).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from homeassistant.components import conversation

from custom_components.hybrid_voice.const import LOGGER

from .cloud_request import HomeNameInRequest, PrivateWords
from .fast_path import FastPath
from .realtime_errors import HandOffRequested, RealtimeError

# Spoken when the think path is down: for a request about the home, and when the fast
# path could not answer either.
HOME_CONTROLLER_UNAVAILABLE = "Sorry, the home controller is unavailable right now."
BOTH_PATHS_DOWN = "Sorry, I can't answer right now. Please try again in a moment."


async def async_fast_answer(
    fast: FastPath,
    chat_log: conversation.ChatLog,
    agent_id: str,
    text: str,
    private: PrivateWords,
) -> str | None:
    """The fast path's answer, already in the chat log; None: the think path answers."""
    conversation_id = chat_log.conversation_id
    deltas = _assistant_deltas(fast.stream(text, conversation_id, private))
    try:
        async for _content in chat_log.async_add_delta_content_stream(agent_id, deltas):
            pass
    except HomeNameInRequest as err:
        LOGGER.debug("Conversation %s stays local: %s", conversation_id, err)
        return None
    except HandOffRequested:
        LOGGER.debug("Conversation %s: the cloud model handed the turn over", conversation_id)
        return None
    except RealtimeError as err:
        LOGGER.info(
            "Conversation %s: fast path failed (%s); answering locally", conversation_id, err
        )
        return None
    except Exception as err:  # any surprise here: the think path answers instead
        LOGGER.warning(
            "Conversation %s: fast path failed unexpectedly (%s); answering locally",
            conversation_id,
            type(err).__name__,
            exc_info=LOGGER.isEnabledFor(logging.DEBUG),
        )
        return None
    last = chat_log.content[-1]
    if isinstance(last, conversation.AssistantContent) and last.content:
        return last.content
    return None


async def _assistant_deltas(
    deltas: AsyncIterator[str],
) -> AsyncIterator[conversation.AssistantContentDeltaDict]:
    """Chat-log deltas; the assistant message starts with the first words."""
    started = False
    async for delta in deltas:
        if not started:
            started = True
            yield {"role": "assistant"}
        yield {"content": delta}

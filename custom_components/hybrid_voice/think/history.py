"""Earlier turns of the conversation.

Earlier turns of the conversation, as the model sees them and as context for the
current request ("now make it dimmer" means the device the last turn acted on).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from homeassistant.components import conversation
from homeassistant.helpers import llm

from custom_components.hybrid_voice.const import MAX_HISTORY_TURNS
from custom_components.hybrid_voice.engine.actions import verb_for
from custom_components.hybrid_voice.engine.plan import action_text
from custom_components.hybrid_voice.engine.request import parse_request
from custom_components.hybrid_voice.models import EntityInfo, ExposedHome


def _recent(chat_log: conversation.ChatLog) -> list[conversation.Content]:
    """The contents of the last few user turns before the current one.

    The window moves on by half its length at a time, not one turn at a time, so that
    from one turn to the next the earlier turns stay as they were: the model server
    then finds them in its cache and evaluates only the new turn.
    """
    past = chat_log.content[1:-1]
    starts = [i for i, content in enumerate(past) if isinstance(content, conversation.UserContent)]
    if len(starts) > MAX_HISTORY_TURNS:
        step = max(1, MAX_HISTORY_TURNS // 2)
        dropped = -(-(len(starts) - MAX_HISTORY_TURNS) // step) * step  # whole steps
        past = past[starts[dropped] :]
    return past


def remembered_names(chat_log: conversation.ChatLog, home: ExposedHome, language: str) -> list[str]:
    """Devices the last two turns named or acted on, most recent last."""
    past = chat_log.content[1:-1]
    starts = [i for i, content in enumerate(past) if isinstance(content, conversation.UserContent)]
    names: list[str] = []
    for content in past[starts[-2] if len(starts) >= 2 else 0 :]:
        if isinstance(content, conversation.UserContent):
            request = parse_request(content.content, language, home)
            names.extend(entity.name for entity in request.named)
        elif isinstance(content, conversation.AssistantContent):
            for call in content.tool_calls or ():
                if isinstance(name := call.tool_args.get("name"), str):
                    names.append(name)
    return names


def _as_plan(calls: Sequence[llm.ToolInput], by_name: dict[str, EntityInfo]) -> str | None:
    """Tool calls of an earlier turn written back as the plan that made them."""
    actions: list[str] = []
    for call in calls:
        entity = by_name.get(str(call.tool_args.get("name", "")))
        if entity is None:
            return None
        verb = verb_for(entity.domain, call.tool_name, call.tool_args)
        if verb is None:
            return None
        values = [v for k, v in call.tool_args.items() if k not in ("name", "domain")]
        actions.append(action_text(verb, entity.name, values[0] if values else None))
    return json.dumps(actions, separators=(",", ":"), ensure_ascii=False)


def history_messages(
    chat_log: conversation.ChatLog, entities: Sequence[EntityInfo]
) -> list[dict[str, Any]]:
    """Earlier turns as request/reply pairs in the form of the worked examples."""
    by_name = {entity.name: entity for entity in entities}
    messages: list[dict[str, Any]] = []
    for content in _recent(chat_log):
        if isinstance(content, conversation.UserContent):
            if messages and messages[-1]["role"] == "user":
                messages.pop()  # a turn without a reply (it failed) would confuse the model
            messages.append({"role": "user", "content": f"Request: {content.content}"})
        elif isinstance(content, conversation.AssistantContent) and messages:
            if messages[-1]["role"] != "user":
                continue  # the words that confirmed the actions just shown
            if content.tool_calls:
                reply = _as_plan(content.tool_calls, by_name)
            else:
                reply = json.dumps(
                    {"answer": content.content or ""}, separators=(",", ":"), ensure_ascii=False
                )
            if reply is not None:
                messages.append({"role": "assistant", "content": reply})
    if messages and messages[-1]["role"] == "user":
        messages.pop()
    return messages

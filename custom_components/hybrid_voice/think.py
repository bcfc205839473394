"""The think path: the local model with Home Assistant's tools, in a bounded loop.

One turn: build the byte-stable prefix and the per-turn message, stream the model's
reply into the chat log, check and repair every tool call before the chat log runs
it, and confirm successful actions without a second model round.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import openai
from homeassistant.components import conversation
from homeassistant.helpers import llm
from homeassistant.util import dt as dt_util
from voluptuous_openapi import convert  # type: ignore[import-untyped]

from .const import LOGGER, MAX_HISTORY_TURNS, MAX_TOOL_ROUNDS
from .entity_selection import EntityInfo, fits_budget, named_in, select_relevant
from .prompt import build_system_prompt, build_turn_message, tool_spec
from .replies import confirmation, looks_like_tool_text, tool_error
from .tool_repair import ToolCallError, ToolCallRepairer

# Live states are in every turn message, so the model needs no round trip for them.
SKIPPED_TOOLS = frozenset({"GetLiveContext"})
# Tokens of per-turn device states when every device is already in the prefix.
TURN_STATE_BUDGET = 200


class ThinkFailure(Exception):
    """The turn cannot be answered; the message is said to the user."""


@dataclass
class ThinkSettings:
    """What the entry's options say about the think path."""

    model: str
    persona: str
    language: str
    entity_budget: int
    max_tokens: int
    timeout: float


@dataclass
class _Round:
    """What one model reply did."""

    rejected: list[str] = field(default_factory=list)
    ran: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    said: str = ""


def _remembered(chat_log: conversation.ChatLog) -> list[str]:
    """Device names the recent turns acted on ("make it dimmer" means those)."""
    names: list[str] = []
    for content in chat_log.content[-8:]:
        if isinstance(content, conversation.AssistantContent):
            for call in content.tool_calls or ():
                if isinstance(name := call.tool_args.get("name"), str):
                    names.append(name)
    return names


def _history(chat_log: conversation.ChatLog) -> list[dict[str, Any]]:
    """Earlier turns in OpenAI chat format, the last few user turns only."""
    past = chat_log.content[1:-1]
    starts = [i for i, content in enumerate(past) if isinstance(content, conversation.UserContent)]
    if len(starts) > MAX_HISTORY_TURNS:
        past = past[starts[-MAX_HISTORY_TURNS] :]
    return [message for content in past for message in _as_messages(content)]


def _as_messages(content: conversation.Content) -> list[dict[str, Any]]:
    if isinstance(content, conversation.UserContent):
        return [{"role": "user", "content": content.content}]
    if isinstance(content, conversation.ToolResultContent):
        return [
            {
                "role": "tool",
                "tool_call_id": content.tool_call_id,
                "content": json.dumps(content.tool_result),
            }
        ]
    if isinstance(content, conversation.AssistantContent):
        message: dict[str, Any] = {"role": "assistant", "content": content.content or ""}
        if content.tool_calls:
            message["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.tool_name, "arguments": json.dumps(call.tool_args)},
                }
                for call in content.tool_calls
            ]
        return [message]
    return []


class ThinkTurn:
    """One utterance on the think path."""

    def __init__(
        self,
        client: openai.AsyncOpenAI,
        settings: ThinkSettings,
        chat_log: conversation.ChatLog,
        user_input: conversation.ConversationInput,
        home: tuple[list[EntityInfo], list[str]],
    ) -> None:
        self._client = client
        self._ran_args: dict[str, dict[str, Any]] = {}
        self._settings = settings
        self._chat_log = chat_log
        self._input = user_input
        entities, areas = home
        api = chat_log.llm_api
        tools = sorted(
            (tool for tool in (api.tools if api else []) if tool.name not in SKIPPED_TOOLS),
            key=lambda tool: tool.name,
        )
        domains = sorted({entity.domain for entity in entities})
        serializer = api.custom_serializer if api else None
        self._tools = [
            tool_spec(
                tool.name,
                tool.description,
                convert(tool.parameters, custom_serializer=serializer),
                domains,
            )
            for tool in tools
        ]
        self._repairer = ToolCallRepairer(
            {spec["function"]["name"]: spec["function"]["parameters"] for spec in self._tools},
            entities,
            areas,
            named_in(entities, user_input.text),
        )
        listed = entities if fits_budget(entities, settings.entity_budget) else None
        relevant = select_relevant(
            entities,
            user_input.text,
            TURN_STATE_BUDGET if listed is not None else settings.entity_budget,
            _remembered(chat_log),
        )
        clock = dt_util.now().strftime("%H:%M, %A %Y-%m-%d")
        self.messages: list[dict[str, Any]] = [
            {
                "role": "system",
                "content": build_system_prompt(settings.persona, settings.language, listed, areas),
            },
            *_history(chat_log),
            {
                "role": "user",
                "content": build_turn_message(
                    user_input.text, relevant, clock, describe_devices=listed is None
                ),
            },
        ]

    async def async_run(self) -> str:
        """Loop until the model answers; return the speech. Raise ThinkFailure."""
        retried = False
        for _round in range(MAX_TOOL_ROUNDS):
            result = await self._async_round()
            if result.rejected and not result.ran:
                if retried:
                    raise ThinkFailure(result.rejected[0])
                retried = True
                self.messages.append(
                    {
                        "role": "user",
                        "content": f"That tool call was not possible: {result.rejected[0]}. "
                        "Correct it, or answer in words.",
                    }
                )
                continue
            if result.ran:
                errors = [err for _t, _a, res in result.ran if (err := tool_error(res))]
                if errors and len(errors) == len(result.ran) and not retried:
                    # Nothing happened: the model may name the device better once.
                    retried = True
                    self.messages.append(
                        {
                            "role": "user",
                            "content": f"That did not work: {errors[0]}. "
                            "Correct the call, or answer in words.",
                        }
                    )
                    continue
                if errors:
                    raise ThinkFailure(errors[0])
                speech = confirmation(result.ran)
                await self._async_say(speech)
                return speech
            if result.said.strip() and not looks_like_tool_text(result.said):
                return result.said.strip()
            raise ThinkFailure("the model gave no answer")
        raise ThinkFailure("it took too many steps")

    async def _async_say(self, speech: str) -> None:
        """Add the agent's own words to the chat log as a streamed message."""

        async def deltas() -> AsyncIterator[conversation.AssistantContentDeltaDict]:
            yield {"role": "assistant", "content": speech}

        async for _content in self._chat_log.async_add_delta_content_stream(
            self._input.agent_id, deltas()
        ):
            pass

    async def _async_round(self) -> _Round:
        result = _Round()
        args: dict[str, Any] = {
            "model": self._settings.model,
            "messages": self.messages,
            "max_tokens": self._settings.max_tokens,
            "temperature": 0.1,
            "stream": True,
        }
        if self._tools:
            args["tools"] = self._tools
        LOGGER.debug("Model request: %s", json.dumps(args))
        try:
            async with asyncio.timeout(self._settings.timeout):
                stream = await self._client.chat.completions.create(**args)
                async for content in self._chat_log.async_add_delta_content_stream(
                    self._input.agent_id, self._deltas(stream, result)
                ):
                    self.messages.extend(_as_messages(content))
                    if isinstance(content, conversation.AssistantContent):
                        result.said += content.content or ""
                    elif isinstance(content, conversation.ToolResultContent):
                        call_args = self._ran_args.get(content.tool_call_id, {})
                        result.ran.append((content.tool_name, call_args, content.tool_result))
        except TimeoutError as err:
            raise ThinkFailure("the local model took too long") from err
        except openai.APIConnectionError as err:
            raise ThinkFailure("the local model is not reachable") from err
        except openai.OpenAIError as err:
            LOGGER.debug("Model request failed: %s", err)
            raise ThinkFailure("the local model failed") from err
        return result

    async def _deltas(
        self, stream: Any, result: _Round
    ) -> AsyncGenerator[conversation.AssistantContentDeltaDict]:
        """OpenAI chunks -> chat-log deltas; tool calls only once checked and repaired."""
        self._ran_args = {}
        calls: dict[int, dict[str, str]] = {}
        yield {"role": "assistant"}
        async for chunk in stream:
            if not chunk.choices:
                continue
            delta = chunk.choices[0].delta
            if delta.content:
                yield {"content": delta.content}
            for call in delta.tool_calls or ():
                slot = calls.setdefault(call.index, {"id": "", "name": "", "arguments": ""})
                if call.id:
                    slot["id"] = call.id
                if call.function is not None:
                    slot["name"] += call.function.name or ""
                    slot["arguments"] += call.function.arguments or ""
        accepted = []
        for slot in calls.values():
            try:
                repaired = self._repairer.repair(slot["name"], slot["arguments"])
            except ToolCallError as err:
                LOGGER.warning(
                    "Conversation %s: rejected tool call %s(%s): %s",
                    self._chat_log.conversation_id,
                    slot["name"],
                    slot["arguments"],
                    err,
                )
                result.rejected.append(str(err))
                continue
            if repaired.notes:
                LOGGER.info(
                    "Conversation %s: repaired %s: %s",
                    self._chat_log.conversation_id,
                    repaired.name,
                    "; ".join(repaired.notes),
                )
            tool_input = llm.ToolInput(tool_name=repaired.name, tool_args=repaired.args)
            self._ran_args[tool_input.id] = repaired.args
            accepted.append(tool_input)
        if accepted:
            yield {"tool_calls": accepted}

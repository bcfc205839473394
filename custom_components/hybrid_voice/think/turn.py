"""The think path: the local model plans with Home Assistant's tools, in two rounds at most.

One round: the model writes a plan under the plan schema (a grammar on the server), an
answer streams into the chat log as it is generated, device actions are checked and
repaired, then run through the chat log as tool calls of the LLM API. A plan that cannot
be carried out, or calls that all fail, go back to the model once with the reason.
Successful actions are confirmed without a second model round.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import httpx
import openai
from homeassistant.components import conversation
from homeassistant.helpers import llm

from custom_components.hybrid_voice.const import LOGGER, MAX_REPLY_TOKENS
from custom_components.hybrid_voice.engine.claims import claims_done
from custom_components.hybrid_voice.engine.outcomes import already_done
from custom_components.hybrid_voice.engine.plan import (
    Plan,
    PlanError,
    answer_so_far,
    written_out,
)
from custom_components.hybrid_voice.engine.replies import (
    confirmation,
    failure,
)
from custom_components.hybrid_voice.models import ExposedHome, ToolCallRecord

from .outcomes import async_checked
from .rounds import ACT_INSTEAD, CLAIMED_ONLY, ModelRound
from .turn_view import MAX_TURN_STATES, ThinkSettings, view_turn


class ThinkFailure(Exception):
    """The turn cannot be answered; the message is said to the user."""


class ThinkTurn:
    """One utterance on the think path."""

    def __init__(
        self,
        client: openai.AsyncOpenAI,
        settings: ThinkSettings,
        chat_log: conversation.ChatLog,
        user_input: conversation.ConversationInput,
        home: ExposedHome,
        speaker_area: str | None = None,
    ) -> None:
        self._client = client
        self._settings = settings
        self._chat_log = chat_log
        self._input = user_input
        view = view_turn(settings, chat_log, user_input, home, speaker_area)
        self._phrases = view.phrases
        self._by_name = view.by_name
        self._instead = view.instead
        self._reader = view.reader
        self._about = view.about
        self._schema = view.schema
        self._judge = view.judge
        self.messages = view.messages

    async def async_run(self) -> str:
        """Ask the model; when its reply cannot stand, ask once more with the reason.

        Return the speech; raise ThinkFailure when the turn cannot be answered.
        """
        if self._instead is not None:
            # Which device is meant is asked, never guessed (the reply completes it);
            # what is on a list, or a sensor's reading, is read from the home.
            await self._async_say(self._instead)
            return self._instead
        result = await self._async_round(stream_answer=True)
        problem = self._judge.problem(result, first=True)
        if problem == CLAIMED_ONLY:
            raise ThinkFailure(self._phrases.reasons["not_done"])
        if problem is not None and self._judge.question and self._judge.truth is not None:
            # A question answered against the states: the states answer it.
            await self._async_say(self._judge.truth)
            return self._judge.truth
        if problem is not None and self._judge.refused_for_state(problem, result):
            raise ThinkFailure(problem)  # the device's state, not the plan: no retry mends it
        if problem is None or self._judge.partly_done(result) or result.unchanged:
            # A device that did not change is not the plan's fault: said, not retried.
            return await self._async_finish(result, problem)
        self.messages.append({"role": "assistant", "content": result.reply})
        self.messages.append(
            {
                "role": "user",
                "content": f"That did not work: {problem}.{self._about_hint()} "
                "Correct the plan, or answer in words.",
            }
        )
        retry = await self._async_round(stream_answer=False)
        second = self._judge.problem(retry)
        if second is not None and not self._judge.partly_done(retry):
            raise ThinkFailure(second)
        if retry.plan is not None and retry.plan.answer is not None:
            if problem == ACT_INSTEAD and not claims_done(retry.plan.answer):
                # Asked to act, it says again (truly) how the device is: that stands.
                await self._async_say(retry.plan.answer)
                return retry.plan.answer
            # Words after a failed plan tend to repeat the correction back.
            raise ThinkFailure(
                self._phrases.reasons["not_done"] if problem == ACT_INSTEAD else problem
            )
        return await self._async_finish(retry, second)

    async def _async_finish(self, result: ModelRound, problem: str | None) -> str:
        """Speak the end of a turn that ran.

        The answer, or the confirmation of what ran and (if some actions failed)
        what did not; confirmations go into the chat log as the agent's words.
        """
        already = [
            self._phrases.reasons["already"].format(name=entity.name, state=entity.state)
            for entity in result.already
        ]
        if problem is not None:
            done = [call for call in result.ran if not self._judge.failed(call)]
            said = [confirmation(done, self._phrases)] if done else []
            speech = " ".join([*said, *already, failure(problem, self._phrases)])
        elif result.plan is not None and result.plan.answer is not None:
            return result.plan.answer
        else:
            said = [confirmation(result.ran, self._phrases)] if result.ran or not already else []
            speech = " ".join([*said, *already])
        await self._async_say(speech)
        return speech

    def _about_hint(self) -> str:
        if 0 < len(self._about) <= MAX_TURN_STATES:
            return f" The request can only be about: {', '.join(self._about)}."
        return ""

    async def _async_say(self, speech: str) -> None:
        """Add the agent's own words to the chat log as a streamed message."""

        async def deltas() -> AsyncIterator[conversation.AssistantContentDeltaDict]:
            yield {"role": "assistant", "content": speech}

        async for _content in self._chat_log.async_add_delta_content_stream(
            self._input.agent_id, deltas()
        ):
            pass

    async def _async_round(self, stream_answer: bool) -> ModelRound:
        result = ModelRound()
        args: dict[str, Any] = {
            "model": self._settings.model,
            "messages": self.messages,
            "max_tokens": MAX_REPLY_TOKENS,
            "temperature": 0,
            "stream": True,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "plan", "schema": self._schema},
            },
        }
        LOGGER.debug("Model request: %s", json.dumps(args))
        try:
            async with asyncio.timeout(self._settings.timeout):
                stream = await self._client.chat.completions.create(**args)
                try:
                    async for content in self._chat_log.async_add_delta_content_stream(
                        self._input.agent_id, self._deltas(stream, result, stream_answer)
                    ):
                        if isinstance(content, conversation.ToolResultContent):
                            call_args = self._ran_args.get(content.tool_call_id, {})
                            result.ran.append(
                                ToolCallRecord(content.tool_name, call_args, content.tool_result)
                            )
                finally:
                    await stream.close()  # a whole plan is read before the stream ends
        except TimeoutError as err:
            raise ThinkFailure(self._phrases.reasons["model_timeout"]) from err
        except openai.APIConnectionError as err:
            raise ThinkFailure(self._phrases.reasons["model_unreachable"]) from err
        except (openai.OpenAIError, httpx.HTTPError) as err:
            # httpx errors: the connection broke while the reply was streaming.
            LOGGER.debug("Model request failed: %s", err)
            raise ThinkFailure(self._phrases.reasons["model_failed"]) from err
        # Home Assistant reports an action done before its device has changed.
        result.ran, result.unchanged = await async_checked(self._chat_log.hass, result.ran)
        return result

    def _read_plan(self, result: ModelRound) -> Plan | None:
        """The plan of the whole reply, also kept in `result`.

        None when it cannot be carried out; the reason is kept in `result.error`.
        """
        try:
            result.plan = self._reader.read(result.reply)
        except PlanError as err:
            LOGGER.warning(
                "Conversation %s: cannot carry out %r: %s",
                self._chat_log.conversation_id,
                result.reply,
                err,
            )
            result.error = str(err)
            return None
        if result.plan.notes:
            LOGGER.info(
                "Conversation %s: repaired the plan: %s",
                self._chat_log.conversation_id,
                "; ".join(result.plan.notes),
            )
        return result.plan

    async def _deltas(
        self, stream: Any, result: ModelRound, stream_answer: bool
    ) -> AsyncGenerator[conversation.AssistantContentDeltaDict]:
        """Model chunks as chat-log deltas.

        An answer as it is written (unless told not to), tool calls once the whole plan
        is read and checked.
        """
        self._ran_args: dict[str, dict[str, Any]] = {}
        spoken = ""
        yield {"role": "assistant"}
        async for chunk in stream:
            if not chunk.choices or not (text := chunk.choices[0].delta.content):
                continue
            result.reply += text
            answer = answer_so_far(result.reply) if stream_answer else None
            if answer is not None and len(answer) > len(spoken):
                yield {"content": answer[len(spoken) :]}
                spoken = answer
            if written_out(result.reply):
                break  # only the end of text is left: the model's last pass is not awaited
        if (plan := self._read_plan(result)) is None:
            return
        if plan.answer is not None and not spoken and stream_answer:
            yield {"content": plan.answer}
        self._judge.turn_around(plan)
        wrong = self._judge.keep_asked_kinds(plan) or self._judge.opposite(plan)
        if wrong is not None:
            result.error = wrong  # never run: the request asked for the opposite
            return
        if calls := self._tool_calls(plan, result):
            yield {"tool_calls": calls}

    def _tool_calls(self, plan: Plan, result: ModelRound) -> list[llm.ToolInput]:
        """The plan's calls to run; a device already where a call would take it is noted."""
        calls = []
        for call in plan.calls:
            entity = self._by_name.get(str(call.args.get("name", "")))
            if entity is not None and already_done(call.tool, entity):
                result.already.append(entity)  # said, not run: it would change nothing
                continue
            tool_input = llm.ToolInput(tool_name=call.tool, tool_args=call.args)
            self._ran_args[tool_input.id] = call.args
            calls.append(tool_input)
        return calls

"""The evaluation inside Home Assistant's test harness (run by `bench/eval.py`).

Not part of the test suite: pytest only collects it when `bench/eval.py` names it, and
the plan (`bench.eval_plan.EvalPlan`, a plugin object) parametrizes `test_home` by
home. Each home gets a fresh Home Assistant (`hass` fixture); every sentence starts
from the fixture states plus its `setup`, in a new conversation.
"""

from __future__ import annotations

import logging
import time
from itertools import groupby
from pathlib import Path

import pytest
from homeassistant.components import conversation
from homeassistant.const import CONF_LLM_HASS_API
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import llm
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped,unused-ignore]
    MockConfigEntry,
)

import custom_components  # noqa: F401  (before the hass fixture: HA must find our integration)
from bench.assist_cases import Case, load_cases
from bench.assist_dataset import DatasetError, load_home
from bench.eval_plan import EvalPlan
from bench.eval_report import SentenceResult
from bench.scoring import answer_mentions, score
from bench.virtual_home import UnsupportedEntity, VirtualHome, async_build_home
from custom_components.hybrid_voice.const import (
    CONF_INSTANT,
    CONF_MODEL,
    CONF_TIMEOUT,
    CONF_URL,
    DOMAIN,
)
from custom_components.hybrid_voice.engine.places import choices_asked


@pytest.fixture(autouse=True)
def _custom_integrations(enable_custom_integrations: None) -> None:
    """Home Assistant loads custom integrations only when a test asks for it."""


def _chosen(cases: list[Case], limit: int | None) -> list[Case]:
    if limit is None:
        return cases
    return [
        case for _file, group in groupby(cases, lambda c: c.file) for case in list(group)[:limit]
    ]


async def _add_agent(hass: HomeAssistant, plan: EvalPlan) -> str:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=plan.model,
        data={CONF_URL: plan.url},
        options={
            CONF_MODEL: plan.model,
            CONF_LLM_HASS_API: llm.LLM_API_ASSIST,
            CONF_INSTANT: plan.instant,
            CONF_TIMEOUT: plan.timeout,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    # The agent reads the home's fixed prompt into the model's cache in the background;
    # sentences are timed from when that is done, as a user talks to a ready agent.
    await hass.async_block_till_done(wait_background_tasks=True)
    agent_id = er.async_get(hass).async_get_entity_id("conversation", DOMAIN, entry.entry_id)
    assert agent_id is not None
    return agent_id


async def _ask(
    hass: HomeAssistant,
    agent_id: str | None,
    text: str,
    device_id: str | None,
    conversation_id: str | None = None,
) -> tuple[str, str, str | None]:
    """(path, speech, conversation id) of one sentence said at `device_id`.

    In a new conversation, or in `conversation_id`'s.
    """
    if agent_id is None:
        # The instant tier alone: the same call the agent makes before any model runs.
        user_input = conversation.ConversationInput(
            text=text,
            context=Context(),
            conversation_id=None,
            device_id=device_id,
            language="en",
            agent_id=conversation.HOME_ASSISTANT_AGENT,
        )
        response = await conversation.async_handle_intents(hass, user_input)
        if response is None:
            return "none", "", None
        return "instant", str(response.speech.get("plain", {}).get("speech", "")), None
    result = await conversation.async_converse(
        hass,
        text,
        conversation_id,
        Context(),
        language="en",
        agent_id=agent_id,
        device_id=device_id,
    )
    path = "instant" if result.response.intent is not None else "think"
    speech = str(result.response.speech.get("plain", {}).get("speech", ""))
    return path, speech, result.conversation_id


def _reply_to_choice(hass: HomeAssistant, speech: str, case: Case) -> str:
    """The names of the devices the sentence is about that the speech asks between.

    "Pause the tv and open the blinds", asked which blinds, is answered with the blinds
    meant, as a user would.
    """
    choices = choices_asked(speech) or []
    expected = [
        state.name for entity_id in case.expect_changes if (state := hass.states.get(entity_id))
    ]
    return " and ".join(name for name in choices if name in expected)


async def _run_case(
    hass: HomeAssistant, virtual: VirtualHome, agent_id: str | None, case: Case, answer: bool
) -> tuple[str, str, float, list[str], str]:
    """One sentence from a reset home: (path, speech, seconds, problems, reply).

    With `answer`, a question between devices that lists the ones the sentence is
    about is answered with their names (the reply), in the same conversation.
    """
    await virtual.async_reset(case.setup)
    before = virtual.snapshot()
    device_id = virtual.device_ids[case.context_device] if case.context_device else None
    started = time.monotonic()
    reply = ""
    try:
        path, speech, conversation_id = await _ask(hass, agent_id, case.sentence, device_id)
        if answer and (reply := _reply_to_choice(hass, speech, case)):
            path, speech, _ = await _ask(hass, agent_id, reply, device_id, conversation_id)
    except Exception as err:  # one sentence's failure is a result, not the end of the home
        return "none", "", time.monotonic() - started, [f"the turn raised {err!r}"], reply
    seconds = time.monotonic() - started
    await hass.async_block_till_done()
    verdict = score(before, virtual.snapshot(), case.expect_changes, case.ignore_changes)
    if path == "none":
        verdict.problems.insert(0, "the instant tier did not handle it")
    if not answer_mentions(speech, case.expect_answer):
        verdict.problems.append(f"the answer mentions none of {list(case.expect_answer)}")
    return path, speech, seconds, verdict.problems, reply


@pytest.mark.usefixtures("socket_enabled")
async def test_home(hass: HomeAssistant, home_dir: Path, eval_plan: EvalPlan) -> None:
    """Every chosen sentence of one home, each from a reset home, in a new conversation."""
    for name in ("homeassistant", "pytest_homeassistant_custom_component"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    try:
        home = load_home(home_dir)
        cases = _chosen(load_cases(home, eval_plan.files), eval_plan.limit)
        virtual = await async_build_home(hass, home)
    except (DatasetError, UnsupportedEntity) as err:
        eval_plan.home_error(home_dir, str(err))
        return
    # Home Assistant loads its sentences at start-up; so does the evaluation.
    await conversation.async_prepare_agent(hass, conversation.HOME_ASSISTANT_AGENT, "en")
    agent_id = None if eval_plan.instant_only else await _add_agent(hass, eval_plan)
    for case in cases:
        path, speech, seconds, problems, reply = await _run_case(
            hass, virtual, agent_id, case, eval_plan.answer_choices
        )
        eval_plan.record(
            SentenceResult(
                home=home.name,
                file=case.file,
                sentence=case.sentence,
                path=path,
                passed=not problems,
                seconds=seconds,
                speech=speech,
                problems=problems,
                part=eval_plan.part_of(home_dir),
                reply=reply,
            )
        )

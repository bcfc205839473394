"""What one model reply did, and whether it can stand.

A reply cannot stand when its plan cannot be carried out, its answer claims a state
the home is not in, a first answer to a command speaks about a device instead of
acting, or an action failed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from homeassistant.helpers import llm
from voluptuous_openapi import convert  # type: ignore[import-untyped]

from custom_components.hybrid_voice.engine.actions import own_verbs
from custom_components.hybrid_voice.engine.claims import (
    claims_done,
    claims_state,
    false_claim,
    opposite_action,
)
from custom_components.hybrid_voice.engine.lexicon import ReplyPhrases
from custom_components.hybrid_voice.engine.places import single_verbs
from custom_components.hybrid_voice.engine.plan import Plan
from custom_components.hybrid_voice.engine.replies import tool_error
from custom_components.hybrid_voice.models import EntityInfo, ToolCallRecord

# Why a command answered with words about a device's state goes back to the model.
ACT_INSTEAD = "the request asks to change a device, so write the plan that does it"
# A command that may change nothing, answered with an action in words ("Closed all
# garage doors."): never said, and no plan could do it.
CLAIMED_ONLY = "an action claimed in words, with no device the request may change"
# Actions that undo each other with the same arguments.
_COUNTERPARTS = {"HassTurnOn": "HassTurnOff", "HassTurnOff": "HassTurnOn"}


@dataclass
class ModelRound:
    """What one model reply did."""

    reply: str = ""
    plan: Plan | None = None
    error: str | None = None
    ran: list[ToolCallRecord] = field(default_factory=list)
    unchanged: bool = False  # an action reported done left its device as it was
    already: list[EntityInfo] = field(default_factory=list)  # not run: already so


def tool_parameters(api: llm.APIInstance | None) -> dict[str, dict[str, Any]]:
    """Each offered tool's argument schemas, by tool name."""
    if api is None:
        return {}
    return {
        tool.name: convert(tool.parameters, custom_serializer=api.custom_serializer).get(
            "properties", {}
        )
        for tool in api.tools
    }


@dataclass
class RoundJudge:
    """Judges the rounds of one turn against its request and the states it showed."""

    phrases: ReplyPhrases
    said: frozenset[str]  # every word of the request (English), or empty
    devices: Mapping[str, EntityInfo]  # by name
    shown: Sequence[EntityInfo] = ()  # the devices whose states the turn showed
    command: bool = False  # the request may change devices
    question: bool = False  # the request asks about the home
    truth: str | None = None  # what the states say, when an answer claimed otherwise

    def problem(self, result: ModelRound, first: bool = False) -> str | None:
        """Why a reply cannot stand, or None.

        Its plan cannot be carried out, its answer claims a state the home is not in,
        or an action failed (the first one that did). A first reply that answers a
        command with how a device is, or with an action in words, is asked to act.
        """
        if result.error is not None:
            return result.error
        if (answer := result.plan.answer if result.plan is not None else None) is not None:
            if (wrong := false_claim(answer, self.shown, self.devices.values())) is not None:
                self.truth = wrong.truth if wrong.about else None
                return wrong.reason  # never a false state
            if not self.command and not self.question and claims_done(answer):
                return CLAIMED_ONLY
            claims = claims_state(answer) or claims_done(answer)
            return ACT_INSTEAD if first and self.command and claims else None
        failed = [call for call in result.ran if self.failed(call)]
        return self.failed(failed[0]) if failed else None

    def opposite(self, plan: Plan) -> str | None:
        """Why an action of the plan is the opposite of the request, or None."""
        for call in plan.calls:
            device = self.devices.get(str(call.args.get("name", "")))
            domain = device.domain if device is not None else ""
            if self.said and opposite_action(self.said, call.tool, domain):
                return f"{call.args.get('name', 'the device')} cannot do what was asked"
        return None

    def turn_around(self, plan: Plan) -> None:
        """Turn an on (off) action whose request says only "off" ("on") the way it says.

        "turn off the top floor" written as turn_off one light and turn_on the other:
        the request leaves no doubt which way, so the action is turned, not refused.
        """
        for index, call in enumerate(plan.calls):
            counterpart = _COUNTERPARTS.get(call.tool)
            if counterpart and opposite_action(self.said, call.tool, call.entity.domain):
                plan.calls[index] = replace(call, tool=counterpart)
                plan.notes.append(f"{call.tool} -> {counterpart} for {call.entity.name}")

    def keep_asked_kinds(self, plan: Plan) -> str | None:
        """Drop actions on kinds of device without the one verb the request says.

        "open the garage" acts on the garage door, not the garage light; a request
        that joins commands ("pause the tv and open the blinds") keeps every action.
        Returns why the plan cannot stand when that leaves no action, else None.
        """
        if not (verbs := single_verbs(self.said)):
            return None
        kept = [call for call in plan.calls if verbs & own_verbs(call.entity.domain)]
        for call in plan.calls:
            if call not in kept:
                plan.notes.append(f"dropped {call.tool} for {call.entity.name}: not asked")
        if plan.calls and not kept:
            names = ", ".join(call.entity.name for call in plan.calls)
            return f"{names} cannot {' or '.join(sorted(verbs))}"
        plan.calls = kept
        return None

    def failed(self, call: ToolCallRecord) -> str | None:
        """Why a call failed, or None."""
        return tool_error(call.result, self.phrases)

    def refused_for_state(self, problem: str, result: ModelRound) -> bool:
        """Whether Home Assistant refused every action for its device's state.

        ("a paused speaker cannot take a volume" in Home Assistant 2025.4.)
        """
        state = self.phrases.match_failures.get("STATE")
        return problem == state and all(self.failed(call) == state for call in result.ran)

    def partly_done(self, result: ModelRound) -> bool:
        """Whether some actions ran and some failed."""
        failed = sum(1 for call in result.ran if self.failed(call))
        return 0 < failed < len(result.ran)

"""Whether an answer claims a state the home does not show.

A small model sometimes answers a command with words about the device instead of
acting: "The front door is already locked" while it is unlocked. Such a claim is
checked against the states the turn showed; a false one is a problem of the plan, never
an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from .home_model import EntityInfo
from .lexicon.en import LEXICON as ENGLISH
from .request import content_words, kinds_in

_SAID = re.compile(r"[a-z]+")

_ALREADY = re.compile(r"\balready\s+(?:been\s+|is\s+|are\s+)?(?P<state>[a-z]+)")
# "The sprinkler is running", "the doors aren't locked", "it is still on".
_STATE_SAID = re.compile(
    r"\b(?:is|are)(?:n't|\s+not)?\s+(?:already\s+|still\s+|currently\s+|now\s+)?"
    r"(?:not\s+)?(?P<state>[a-z]+)"
)
_NEGATION = re.compile(r"\b(?:not|no|none|nothing|nobody|neither)\b|n't\b")
_CLAUSE = re.compile(r"[,;:.!?]|\band\b|\bbut\b")
_LOCK_WORDS = frozenset({"locked", "unlocked"})
_STOPPED = frozenset({"idle", "off", "paused", "docked", "closed", "stopped"})
# What a claimed word says about a state.
_CLAIMS: dict[str, Callable[[str], bool]] = {
    "on": lambda state: state not in ("off", "unavailable", "unknown"),
    "off": lambda state: state == "off",
    "locked": lambda state: state == "locked",
    "unlocked": lambda state: state in ("unlocked", "open"),
    "open": lambda state: state in ("open", "opening"),
    "closed": lambda state: state in ("closed", "closing"),
    "shut": lambda state: state in ("closed", "closing"),
    "running": lambda state: state in ("cleaning", "on", "open", "playing", "running"),
    "cleaning": lambda state: state == "cleaning",
    "docked": lambda state: state == "docked",
    "playing": lambda state: state == "playing",
    "paused": lambda state: state == "paused",
    "stopped": lambda state: state in _STOPPED,
}


def _named_in(text: str, devices: Iterable[EntityInfo]) -> list[EntityInfo]:
    return [e for e in devices if any(name.casefold() in text for name in e.names)]


def _referred(answer: str, shown: Sequence[EntityInfo]) -> list[EntityInfo]:
    """The devices shown that an answer is about.

    Those it names, else those of a kind it names ("the vacuum"), else the only one shown.
    """
    text = answer.casefold()
    if named := _named_in(text, shown):
        return named
    if kinds := kinds_in(content_words(text)):
        return [e for e in shown if e.domain in kinds]
    return list(shown) if len(shown) == 1 else []


@dataclass(frozen=True)
class FalseClaim:
    """A device an answer says is (not) in a state it is not (is) in."""

    entity: EntityInfo
    claimed: str
    negated: bool
    about: bool = True  # the answer named or the turn showed the device, not only its kind

    @property
    def reason(self) -> str:
        """`Sprinkler is closed, not running`: for the model's next round."""
        truth = f"{self.entity.name} is {self.entity.state}"
        return truth if self.negated else f"{truth}, not {self.claimed}"

    @property
    def truth(self) -> str:
        """`Sprinkler is closed.`: what the states say instead."""
        return f"{self.entity.name} is {self.entity.state}."


def false_claim(
    answer: str, shown: Sequence[EntityInfo], home: Collection[EntityInfo] = ()
) -> FalseClaim | None:
    """What in an answer's words about a device's state is false, or None.

    Each clause that says a device "is [not] <state>" (or "already <state>") is checked.
    About devices the turn showed, every one must be so; about devices of the `home`
    the turn did not show ("the vacuum" when nothing was shown), at least one of those
    it names, or else of the kind it names, must be (none, for "no window is open").
    """
    for clause in _CLAUSE.split(answer.casefold().replace("\u2019", "'")):
        if (problem := _clause_problem(clause, shown, home)) is not None:
            return problem
    return None


def _applies(claimed: str, entity: EntityInfo) -> bool:
    """Whether the claimed word is about this kind of device.

    "The back door is closed" is about its contact or cover, not its lock; "locked"
    is only about a lock.
    """
    return (claimed in _LOCK_WORDS) == (entity.domain == "lock")


def _clause_problem(
    clause: str, shown: Sequence[EntityInfo], home: Collection[EntityInfo]
) -> FalseClaim | None:
    match = _STATE_SAID.search(clause) or _ALREADY.search(clause)
    if match is None or (holds := _CLAIMS.get(claimed := match.group("state"))) is None:
        return None
    negated = bool(_NEGATION.search(clause))
    if referred := [e for e in _referred(clause, shown) if _applies(claimed, e)]:
        bad = next((e for e in referred if holds(e.state) == negated), None)
        return FalseClaim(bad, claimed, negated) if bad is not None else None
    kinds = kinds_in(content_words(clause))
    named = _named_in(clause, home)
    elsewhere = named or [e for e in home if e.domain in kinds]
    elsewhere = [entity for entity in elsewhere if _applies(claimed, entity)]
    if elsewhere and all(holds(entity.state) == negated for entity in elsewhere):
        return FalseClaim(elsewhere[0], claimed, negated, about=bool(named))
    return None


# An answer that reports an action as done ("Closed all garage doors.", "I've turned
# on the fan"): words cannot do it, only a plan's calls can.
_DONE = re.compile(
    r"^(?:ok(?:ay)?,?\s+)?(?:i(?:\s+have|'ve)?\s+)?(?:turned|switched|opened|closed|shut|"
    r"locked|unlocked|started|stopped|paused|resumed|set|dimmed|brightened|added|removed|"
    r"completed|sent|activated|ran|raised|lowered)\b"
)


def claims_state(answer: str) -> bool:
    """Whether an answer says a device is "already" in some state."""
    return _ALREADY.search(answer.casefold()) is not None


def claims_done(answer: str) -> bool:
    """Whether an answer reports an action as done ("Closed all garage doors.")."""
    return _DONE.search(answer.casefold().strip()) is not None


def said_words(utterance: str) -> frozenset[str]:
    """Every word of the utterance, stop words included ("off", "on")."""
    return frozenset(_SAID.findall(utterance.lower()))


def opposite_action(said: frozenset[str], tool: str, domain: str) -> bool:
    """Whether the request asks for the opposite of running `tool` on a `domain` device.

    It does when it says only opposite words ("stop the vacuum" for HassVacuumStart).
    """
    table = ENGLISH.opposite_words
    found = table.get(f"{tool} {domain}") or table.get(tool)
    if found is None:
        return False
    opposite, own = found
    return bool(said & opposite) and not said & own

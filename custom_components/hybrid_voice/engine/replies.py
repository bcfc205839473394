"""What the agent says when it speaks for itself.

What the agent says when it speaks for itself: confirmations of actions it ran
without asking the model to phrase them, and the short "I couldn't do that" answer.

The words come from the lexicon of the configured language (`ReplyPhrases`); a
language without a lexicon gets the English ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .home_model import ToolCallRecord
from .lexicon import ReplyPhrases, lexicon_for
from .lexicon.en_replies import REPLIES as ENGLISH

# Home Assistant's target-matching failures arrive as the repr of the exception.
_MATCH_REASON = re.compile(r"no_match_reason=<MatchFailedReason\.(\w+)")


def phrases_for(language: str) -> ReplyPhrases:
    """The reply phrases of `language`, or the English ones."""
    lexicon = lexicon_for(language)
    return lexicon.replies if lexicon is not None and lexicon.replies is not None else ENGLISH


def failure(reason: str, phrases: ReplyPhrases = ENGLISH) -> str:
    """The short failure answer: `I couldn't do that: <reason>.`."""
    reason = reason.strip().rstrip(".") or phrases.reasons["something_went_wrong"]
    return f"{phrases.failure_prefix}{reason}."


def plain_error(text: str, phrases: ReplyPhrases = ENGLISH) -> str:
    """An error for people: matching failures in words, never an exception's repr."""
    if (match := _MATCH_REASON.search(text)) is not None:
        return phrases.match_failures.get(match.group(1), phrases.reasons["no_device_matched"])
    if text.startswith("<"):
        return phrases.reasons["action_failed"]
    return text


def tool_error(result: Mapping[str, Any], phrases: ReplyPhrases = ENGLISH) -> str | None:
    """Why a tool result is a failure, or None when it succeeded."""
    if "error" in result:
        return plain_error(str(result.get("error_text") or result["error"]), phrases)
    if result.get("response_type") == "error":
        data = result.get("data") or {}
        return str(data.get("code") or phrases.reasons["action_failed"])
    data = result.get("data")
    if isinstance(data, Mapping) and (failed := data.get("failed")):
        names = ", ".join(str(item.get("name", item.get("id"))) for item in failed)
        return phrases.reasons["did_not_respond"].format(names=names)
    return None


def _names(result: Mapping[str, Any]) -> tuple[list[str], str | None]:
    data = result.get("data")
    success = data.get("success") if isinstance(data, Mapping) else None
    if not success:
        return [], None
    # Intent results list the area or device they matched as well as the entities.
    entities = [item for item in success if item.get("type", "entity") == "entity"]
    success = entities or success
    names = [str(item.get("name") or item.get("id")) for item in success]
    domains = {str(item.get("id", "")).partition(".")[0] for item in success}
    return names, domains.pop() if len(domains) == 1 else None


def join_names(names: Sequence[str], and_word: str) -> str:
    """`a, b and c`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {and_word} {names[-1]}"


def _sentence(call: ToolCallRecord, phrases: ReplyPhrases) -> str:
    """What one successful call did, in one sentence."""
    result = call.result
    if isinstance(result.get("speech"), Mapping):
        spoken = result["speech"].get("plain", {}).get("speech")
        if spoken:
            return str(spoken)
    names, domain = _names(result)
    verbs = phrases.done_verbs
    verb = verbs.get((call.tool, domain)) or verbs.get((call.tool, None))
    if verb is None or not names:
        return phrases.done
    details = [
        template.format(call.args[key])
        for key, template in phrases.done_details.items()
        if key in call.args
    ]
    return " ".join([verb, join_names(names, phrases.and_word), *details]) + "."


def confirmation(calls: Sequence[ToolCallRecord], phrases: ReplyPhrases = ENGLISH) -> str:
    """The confirmation of the calls that ran.

    One sentence per successful call: `Turned on Kitchen Light.`; or `Done.` when a
    call does not say what it changed.
    """
    unique = list(dict.fromkeys(_sentence(call, phrases) for call in calls))
    return " ".join(unique) if unique else phrases.done

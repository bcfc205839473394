"""Actions checked against the states they leave, on Home Assistant's side.

A device whose service is slow may change a moment after Home Assistant reported the
action: its state is watched for a short while before the action counts as failed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from homeassistant.core import HomeAssistant

from custom_components.hybrid_voice.engine.outcomes import (
    as_failure,
    changed_entities,
    unchanged,
)
from custom_components.hybrid_voice.models import ToolCallRecord

# How long a device may take to show the state its action leaves, and how often to look.
OUTCOME_WAIT = 2.0
_POLL = 0.05


def _states(hass: HomeAssistant, calls: Sequence[ToolCallRecord]) -> dict[str, str | None]:
    ids = {entity_id for call in calls for entity_id, _name in changed_entities(call.result)}
    return {i: (state.state if (state := hass.states.get(i)) else None) for i in ids}


async def async_checked(
    hass: HomeAssistant, calls: Sequence[ToolCallRecord], wait: float = OUTCOME_WAIT
) -> tuple[list[ToolCallRecord], bool]:
    """The calls, with those whose devices did not change recorded as failed.

    Also whether any did not change. Waits up to `wait` seconds for slow devices; calls
    that all changed their devices return at once.
    """
    deadline = time.monotonic() + wait
    while True:
        states = _states(hass, calls)
        missed = [unchanged(call, states) for call in calls]
        if not any(missed) or time.monotonic() >= deadline:
            break
        await asyncio.sleep(_POLL)
    checked = [as_failure(call, m) if m else call for call, m in zip(calls, missed, strict=True)]
    return checked, any(missed)

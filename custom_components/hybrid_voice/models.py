"""Types shared across the integration.

Types shared across the integration: an entry's runtime data, the exposed home, and
the record of a tool call that ran.

`ExposedHome`, `EntityInfo` and `ToolCallRecord` are defined in the pure core
(`engine/home_model.py`, which imports nothing from Home Assistant) because the core
reads them; the Home Assistant side imports them from here with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import openai
from homeassistant.config_entries import ConfigEntry

from .engine.home_model import EntityInfo, ExposedHome, ToolCallRecord

if TYPE_CHECKING:
    from .fast.fast_path import FastPath

__all__ = [
    "EntityInfo",
    "ExposedHome",
    "HybridVoiceConfigEntry",
    "HybridVoiceData",
    "ToolCallRecord",
]


@dataclass
class HybridVoiceData:
    """What a loaded entry holds while it runs.

    `client` talks to the local think-path endpoint. The optional cloud fast path gets
    its own field here when it lands; the conversation entity asks this object, not the
    entry data, for the paths it can use.
    """

    client: openai.AsyncOpenAI
    models: tuple[str, ...]
    # The cloud fast path; None without an OpenAI key or when routing is local only.
    fast: FastPath | None = None


type HybridVoiceConfigEntry = ConfigEntry[HybridVoiceData]

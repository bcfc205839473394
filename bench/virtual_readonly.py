"""Entities of domains the virtual home does not build: shown, never acted on.

Home Assistant's intents know more domains than the virtual home builds devices for
(scenes, input booleans, weather, buttons, ...). Such an entity is a registry entry in
its area with a state, like a device whose integration is not loaded: the agent and
Home Assistant's sentence matching see it, and no service changes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import ATTR_FRIENDLY_NAME, Platform

from bench.assist_dataset import FixtureEntity

# Domains of Home Assistant's helpers and core integrations that hold entities but are
# not entity platforms.
HELPER_DOMAINS = frozenset(
    {
        "automation",
        "counter",
        "group",
        "input_boolean",
        "input_button",
        "input_datetime",
        "input_number",
        "input_select",
        "input_text",
        "person",
        "schedule",
        "sun",
        "timer",
        "zone",
    }
)


def is_known_domain(domain: str) -> bool:
    """Whether Home Assistant has entities of `domain` (so a fixture may show one)."""
    return domain in {platform.value for platform in Platform} or domain in HELPER_DOMAINS


def readonly_state(
    entity: FixtureEntity, state: str, attributes: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The state and attributes to show for a read-only entity."""
    return state, {**attributes, ATTR_FRIENDLY_NAME: entity.name}

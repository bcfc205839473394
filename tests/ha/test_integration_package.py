"""The integration is laid out as HACS and Home Assistant expect, and loads."""

from __future__ import annotations

import json
from importlib import metadata

from awesomeversion import AwesomeVersion
from homeassistant.const import __version__ as HA_VERSION
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component
from packaging.requirements import Requirement

from custom_components.hybrid_voice.const import DOMAIN
from tests.servers import ROOT


async def test_home_assistant_finds_our_integration(hass: HomeAssistant) -> None:
    integration = await async_get_integration(hass, DOMAIN)
    assert not integration.is_built_in
    assert integration.version == AwesomeVersion("0.1.0")
    assert integration.dependencies == ["conversation"]


async def test_integration_sets_up(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, DOMAIN, {})
    assert DOMAIN in hass.config.components


def test_requirements_are_ranges_that_home_assistant_can_satisfy() -> None:
    """The manifest's requirements fit Home Assistant's.

    Each requirement is a range, and the versions installed under HA's own
    constraints (package_constraints.txt) fall inside it.
    """
    manifest = json.loads((ROOT / "custom_components" / DOMAIN / "manifest.json").read_text())
    assert manifest["requirements"]
    for line in manifest["requirements"]:
        requirement = Requirement(line)
        assert not any(spec.operator == "==" for spec in requirement.specifier), line
        installed = metadata.version(requirement.name)
        assert requirement.specifier.contains(installed), (line, installed)
        # The openai every Home Assistant from 2025.4 to today ships must satisfy it.
        shipped = {"openai": ("1.68.2", "2.15.0", "3.51.0")}.get(requirement.name, ())
        assert all(requirement.specifier.contains(version) for version in shipped), line


def test_hacs_metadata() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text())
    manifest = json.loads((ROOT / "custom_components" / DOMAIN / "manifest.json").read_text())
    assert AwesomeVersion(hacs["homeassistant"]) <= AwesomeVersion(HA_VERSION)
    for key in ("domain", "name", "version", "documentation", "issue_tracker", "codeowners"):
        assert key in manifest, key

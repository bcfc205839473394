"""Test set-up shared by every test: Home Assistant harness quirks solved once.

- Our `custom_components` package is imported before the `hass` fixture runs, so HA's
  loader finds it instead of the harness's own testing_config.
- Custom integrations are enabled for every test that has a `hass`.
- The TTS file cache goes to a temporary directory instead of site-packages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

import pytest

import custom_components  # noqa: F401  (must precede the hass fixture)


@pytest.fixture(autouse=True)
def _custom_integrations(request: pytest.FixtureRequest) -> None:
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")


@pytest.fixture(autouse=True)
def _tts_cache_in_tmp(tmp_path: Path) -> Iterator[None]:
    with patch("homeassistant.components.tts.DEFAULT_CACHE_DIR", str(tmp_path / "tts")):
        yield

"""A real home for the agent.

A real home for the agent: template lights whose state changes when services run,
areas, exposure to conversation agents, and the real local model server.
"""

from __future__ import annotations

import os
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_socket  # type: ignore[import-untyped,unused-ignore]
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_LLM_HASS_API
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import llm
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped,unused-ignore]
    MockConfigEntry,
)

from custom_components.hybrid_voice.const import CONF_MODEL, CONF_TIMEOUT, CONF_URL, DOMAIN
from tests.servers import running_server

from .web_servers import reply_delta, scripted_model

# The model the agent tests run; the 0.5B model is the faster, weaker alternative.
TEST_MODEL = os.environ.get("HYBRID_VOICE_TEST_MODEL", "qwen2.5-coder-1.5b-q4")

# pytest-socket has no type hints.
_SOCKETS: Any = pytest_socket

LIGHTS = {
    "kitchen_light": ("Kitchen Light", "Kitchen"),
    "living_room_lamp": ("Living Room Lamp", "Living Room"),
    "bedroom_light": ("Bedroom Light", "Bedroom"),
}


def _wait_for_models(url: str, timeout: float = 300.0) -> None:
    """The server listens before its model is loaded (503 until then)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


@pytest.fixture(scope="session")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`hybrid-voice-llm` with the real model, shared by every agent test."""
    _SOCKETS.enable_socket()
    try:
        with running_server(
            "hybrid-voice-llm",
            "--model",
            TEST_MODEL,
            "--threads",
            "2",
            "--ctx",
            "4096",
            log_dir=tmp_path_factory.mktemp("llm"),
            startup_timeout=300.0,
        ) as server:
            url = f"http://127.0.0.1:{server.port}/v1"
            _wait_for_models(url)
            _SOCKETS.socket_allow_hosts(["127.0.0.1"])
            _SOCKETS.disable_socket(allow_unix_socket=True)
            yield url
    finally:
        _SOCKETS.socket_allow_hosts(["127.0.0.1"])
        _SOCKETS.disable_socket(allow_unix_socket=True)


# Two lights of one name in two areas: Home Assistant refuses to guess which is meant.
TWIN_LIGHTS = {
    "porch_light": ("Porch Light", "Garden"),
    "porch_light_2": ("Porch Light", "Garage"),
}


async def async_setup_home(hass: HomeAssistant, twin_lights: bool = False) -> None:
    """Set up the test home.

    Lights in three areas, exposed to conversation agents; with `twin_lights`, also
    two porch lights of the same name, which a turn-on by name cannot act on.
    """
    home = {**LIGHTS, **(TWIN_LIGHTS if twin_lights else {})}
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    assert await async_setup_component(hass, "intent", {})
    lights: dict[str, Any] = {
        object_id: {
            "unique_id": object_id,
            "friendly_name": name,
            "turn_on": [],
            "turn_off": [],
            "set_level": [],
        }
        for object_id, (name, _area) in home.items()
    }
    assert await async_setup_component(
        hass, "light", {"light": [{"platform": "template", "lights": lights}]}
    )
    await hass.async_block_till_done()
    areas = ar.async_get(hass)
    entities = er.async_get(hass)
    for object_id, (_name, area_name) in home.items():
        area = areas.async_get_area_by_name(area_name) or areas.async_create(area_name)
        entity_id = f"light.{object_id}"
        entities.async_update_entity(entity_id, area_id=area.id)
        async_expose_entity(hass, "conversation", entity_id, True)
    await hass.async_block_till_done()


async def async_add_agent(hass: HomeAssistant, url: str, **options: Any) -> MockConfigEntry:
    """A loaded hybrid_voice entry for the endpoint."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=TEST_MODEL,
        data={CONF_URL: url},
        options={
            CONF_MODEL: TEST_MODEL,
            CONF_LLM_HASS_API: llm.LLM_API_ASSIST,
            # The test machine is shared; a busy CPU must not fail a correct answer.
            CONF_TIMEOUT: 600,
            **options,
        },
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


@pytest.fixture
async def endpoint_url() -> AsyncIterator[str]:
    """A scripted endpoint that serves the test model's name.

    A scripted OpenAI-compatible endpoint that serves the test model's name: enough
    for setting the agent up, without loading a model.
    """
    async with scripted_model([reply_delta('{"answer": "Hello."}')], models=(TEST_MODEL,)) as (
        url,
        _requests,
    ):
        yield url


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path

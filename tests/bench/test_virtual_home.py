"""The virtual home built in a real Home Assistant from the community format's features."""

from __future__ import annotations

from pathlib import Path

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant, State
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import floor_registry as fr
from homeassistant.setup import async_setup_component

from bench.assist_cases import load_cases
from bench.assist_dataset import StateSpec, find_homes, load_home
from bench.virtual_home import UnsupportedEntity, VirtualHome, async_build_home

ROOT = Path(__file__).resolve().parents[2]

FIXTURES = """
floors:
  - {name: Ground Floor, id: ground, aliases: [downstairs]}
areas:
  - {name: Kitchen, id: kitchen, floor: ground}
  - {name: Bedroom, id: bedroom, floor: upstairs}
devices:
  - {name: Kitchen Satellite, id: kitchen-satellite, area: kitchen}
entities:
  - {name: Kitchen Light, id: light.kitchen_light, area: kitchen, state: "off"}
  - {name: Bedroom Light, id: light.bedroom_light, area: bedroom, state: "off"}
  - {name: Back Door, id: binary_sensor.back_door, area: kitchen, state: "on",
     attributes: {device_class: binary_sensor.BinarySensorDeviceClass.DOOR}}
  - {name: Movie Scene, id: scene.movie, area: bedroom, state: "2025-01-01T20:00:00+00:00"}
  - name: Bedroom Temperature
    id: sensor.bedroom_temperature
    area: bedroom
    attributes: {native_value: 18.5, native_unit_of_measurement: °C,
                 device_class: sensor.SensorDeviceClass.TEMPERATURE}
  - {name: Old Robot, id: vacuum.old_robot, area: bedroom, state: "on"}
"""


async def _built(hass: HomeAssistant, tmp_path: Path, fixtures: str = FIXTURES) -> VirtualHome:
    (tmp_path / "_fixtures.yaml").write_text(fixtures)
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    return await async_build_home(hass, load_home(tmp_path))


def _state(hass: HomeAssistant, entity_id: str) -> State:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state


async def test_floors_areas_devices_and_read_only_domains(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    virtual = await _built(hass, tmp_path)
    floors = fr.async_get(hass)
    ground = floors.async_get_floor_by_name("Ground Floor")
    upstairs = floors.async_get_floor_by_name("Upstairs")
    assert ground is not None
    assert upstairs is not None
    assert ground.aliases == {"downstairs"}
    areas = ar.async_get(hass)
    kitchen = areas.async_get_area_by_name("Kitchen")
    bedroom = areas.async_get_area_by_name("Bedroom")
    assert kitchen is not None
    assert bedroom is not None
    assert (kitchen.floor_id, bedroom.floor_id) == (ground.floor_id, upstairs.floor_id)
    satellite = dr.async_get(hass).async_get(virtual.device_ids["kitchen-satellite"])
    assert satellite is not None
    assert satellite.area_id == kitchen.id
    door = _state(hass, "binary_sensor.back_door")
    assert (door.state, door.attributes["device_class"]) == ("on", "door")
    assert _state(hass, "sensor.bedroom_temperature").state == "18.5"
    assert _state(hass, "vacuum.old_robot").state == "cleaning"
    assert _state(hass, "scene.movie").name == "Movie Scene"
    await virtual.async_reset({"scene.movie": StateSpec("2025-02-02T08:00:00+00:00")})
    assert _state(hass, "scene.movie").state == "2025-02-02T08:00:00+00:00"


async def test_a_sentence_spoken_at_a_device_acts_in_its_area(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    virtual = await _built(hass, tmp_path)
    await conversation.async_prepare_agent(hass, conversation.HOME_ASSISTANT_AGENT, "en")
    result = await conversation.async_converse(
        hass,
        "turn on the light",
        None,
        Context(),
        language="en",
        agent_id=conversation.HOME_ASSISTANT_AGENT,
        device_id=virtual.device_ids["kitchen-satellite"],
    )
    assert result.response.error_code is None
    assert _state(hass, "light.kitchen_light").state == "on"
    assert _state(hass, "light.bedroom_light").state == "off"


@pytest.mark.parametrize(
    ("entity", "message"),
    [
        ("{name: Gizmo, id: gizmo.one}", r"entity 'gizmo\.one': unknown domain 'gizmo'"),
        ("{name: Odd, id: climate.odd, state: boiling}", r"climate\.odd.*cannot be built"),
    ],
)
async def test_an_entity_that_cannot_be_built_is_named(
    hass: HomeAssistant, tmp_path: Path, entity: str, message: str
) -> None:
    fixtures = f"entities:\n  - {entity}\n"
    with pytest.raises(UnsupportedEntity, match=message):
        await _built(hass, tmp_path, fixtures)


@pytest.mark.parametrize(
    "home_dir", find_homes(ROOT / "bench" / "datasets"), ids=lambda path: path.name
)
async def test_every_home_of_our_datasets_builds_with_all_its_sentences(
    hass: HomeAssistant, home_dir: Path
) -> None:
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    home = load_home(home_dir)
    cases = load_cases(home)
    virtual = await async_build_home(hass, home)
    assert cases
    assert set(virtual.snapshot()) == {entity.entity_id for entity in home.entities}
    for case in cases:
        assert case.context_device is None or case.context_device in virtual.device_ids

"""Which devices a request may act on. Plain Python, no Home Assistant."""

from __future__ import annotations

from custom_components.hybrid_voice.engine.home_model import EntityInfo

from .requests import english, targets_of

PORCH = EntityInfo("light.porch_light", "Porch Light", "light", "Garden")
GARAGE_LIGHT = EntityInfo("light.garage_light", "Garage Light", "light", "Garage")
GARAGE_DOOR = EntityInfo("cover.garage_door", "Garage Door", "cover", "Garage")
RADIO = EntityInfo("media_player.kitchen_radio", "Kitchen Radio", "media_player", "Kitchen")
SPEAKER = EntityInfo("media_player.lounge_speaker", "Lounge Speaker", "media_player", "Lounge")
HOME = [PORCH, GARAGE_LIGHT, GARAGE_DOOR, RADIO, SPEAKER]


def test_a_name_is_named_only_as_one_phrase() -> None:
    utterance = "turn on the porch lights and open the garage door"
    assert english(utterance, HOME).named == (PORCH, GARAGE_DOOR)
    targets = targets_of(HOME, utterance)
    assert targets.named == {"light.porch_light", "cover.garage_door"}
    assert targets.allowed == targets.named


def test_of_the_devices_of_a_kind_those_called_what_the_request_says_are_meant() -> None:
    assert targets_of(HOME, "make the radio quieter").allowed == {RADIO.entity_id}
    assert targets_of(HOME, "pause the music").allowed == {
        RADIO.entity_id,
        SPEAKER.entity_id,
    }


def test_an_area_in_a_name_said_in_full_does_not_point_at_the_area() -> None:
    coffee = EntityInfo("switch.coffee_maker", "Coffee Maker", "switch", "Kitchen")
    home = [*HOME, coffee]
    assert targets_of(home, "turn the kitchen radio down a little").allowed == {RADIO.entity_id}
    assert coffee.entity_id in targets_of(home, "turn off everything in the kitchen").allowed

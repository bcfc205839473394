"""Devices of the virtual home.

Real Home Assistant entities whose state changes when
their services are called, and that can be put back into any state between sentences.

Every class takes its fixture entry (which decides its features, e.g. a cover without
`current_position` is a garage door that only opens and closes) and implements
`restore(state, attributes)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntFlag
from typing import Any, cast, override

from homeassistant.components.cover import CoverDeviceClass, CoverEntity, CoverEntityFeature
from homeassistant.components.fan import FanEntity, FanEntityFeature
from homeassistant.components.light import ATTR_BRIGHTNESS, ATTR_RGB_COLOR, LightEntity
from homeassistant.components.light.const import ColorMode
from homeassistant.components.lock import LockEntity
from homeassistant.components.switch import SwitchEntity
from homeassistant.components.vacuum import StateVacuumEntity, VacuumEntityFeature
from homeassistant.components.vacuum.const import VacuumActivity
from homeassistant.components.valve import ValveEntity, ValveEntityFeature

from bench.assist_dataset import FixtureEntity


class VirtualDevice:
    """Naming shared by every virtual device (mixed into a Home Assistant entity)."""

    entity_id: str
    _attr_unique_id: str | None
    _attr_name: str | None
    _attr_should_poll: bool

    def __init__(self, fixture: FixtureEntity) -> None:
        self.entity_id = fixture.entity_id
        self._attr_unique_id = fixture.entity_id
        self._attr_name = fixture.name
        self._attr_should_poll = False
        self.fixture = fixture
        features = fixture.attributes.get("supported_features")
        current = getattr(self, "_attr_supported_features", None)
        if isinstance(features, int) and isinstance(current, IntFlag):
            # What the fixture says the device can do (e.g. a vacuum that cannot pause).
            cast("Any", self)._attr_supported_features = type(current)(features)
        self.restore(fixture.state, fixture.attributes)

    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        """Put the device back into `state` with `attributes`."""
        raise NotImplementedError


class VirtualLight(VirtualDevice, LightEntity):
    """A light with the colour modes its fixture gives."""

    def __init__(self, fixture: FixtureEntity) -> None:
        modes = {ColorMode(mode) for mode in fixture.attributes.get("supported_color_modes", [])}
        if not modes:
            modes = {
                ColorMode.BRIGHTNESS if "brightness" in fixture.attributes else ColorMode.ONOFF
            }
        self._attr_supported_color_modes = modes
        self._attr_color_mode = ColorMode.RGB if ColorMode.RGB in modes else next(iter(modes))
        super().__init__(fixture)

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        self._attr_is_on = state == "on"
        if self._attr_color_mode != ColorMode.ONOFF:
            self._attr_brightness = int(attributes.get("brightness") or 255)
        if self._attr_color_mode == ColorMode.RGB:
            red, green, blue = attributes.get("rgb_color") or (255, 255, 255)
            self._attr_rgb_color = (int(red), int(green), int(blue))

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        self._attr_is_on = True
        if ATTR_BRIGHTNESS in kwargs and self._attr_color_mode != ColorMode.ONOFF:
            self._attr_brightness = int(kwargs[ATTR_BRIGHTNESS])
        if ATTR_RGB_COLOR in kwargs and self._attr_color_mode == ColorMode.RGB:
            self._attr_rgb_color = tuple(kwargs[ATTR_RGB_COLOR])
        self.async_write_ha_state()

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        self._attr_is_on = False
        self.async_write_ha_state()


class VirtualSwitch(VirtualDevice, SwitchEntity):
    """A switch or plug."""

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        self._attr_is_on = state == "on"

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        self._attr_is_on = True
        self.async_write_ha_state()

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        self._attr_is_on = False
        self.async_write_ha_state()


class VirtualFan(VirtualDevice, FanEntity):
    """A fan that turns on and off and keeps its speed."""

    _attr_supported_features = (
        FanEntityFeature.TURN_ON | FanEntityFeature.TURN_OFF | FanEntityFeature.SET_SPEED
    )
    _speed = 100

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        percentage = int(attributes.get("percentage") or 0)
        self._speed = percentage or self._speed
        self._attr_percentage = (percentage or self._speed) if state == "on" else 0

    @override
    async def async_turn_on(
        self, percentage: int | None = None, preset_mode: str | None = None, **kwargs: Any
    ) -> None:
        await self.async_set_percentage(percentage or self._speed)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        self._attr_percentage = 0
        self.async_write_ha_state()

    @override
    async def async_set_percentage(self, percentage: int) -> None:
        self._speed = percentage or self._speed
        self._attr_percentage = percentage
        self.async_write_ha_state()


class VirtualCover(VirtualDevice, CoverEntity):
    """Blinds, curtains or a garage door; positioned if the fixture says so."""

    def __init__(self, fixture: FixtureEntity) -> None:
        features = CoverEntityFeature.OPEN | CoverEntityFeature.CLOSE
        self._positioned = "current_position" in fixture.attributes
        if self._positioned:
            features |= CoverEntityFeature.SET_POSITION
        self._attr_supported_features = features
        if device_class := fixture.attributes.get("device_class"):
            self._attr_device_class = CoverDeviceClass(device_class)
        super().__init__(fixture)

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        self._attr_is_closed = state == "closed"
        if self._positioned:
            default = 0 if self._attr_is_closed else 100
            self._attr_current_cover_position = int(attributes.get("current_position", default))

    def _move(self, position: int) -> None:
        self._attr_is_closed = position == 0
        if self._positioned:
            self._attr_current_cover_position = position
        self.async_write_ha_state()

    @override
    async def async_open_cover(self, **kwargs: Any) -> None:
        self._move(100)

    @override
    async def async_close_cover(self, **kwargs: Any) -> None:
        self._move(0)

    @override
    async def async_set_cover_position(self, **kwargs: Any) -> None:
        self._move(int(kwargs["position"]))


class VirtualValve(VirtualDevice, ValveEntity):
    """A water valve; positioned if the fixture says so."""

    def __init__(self, fixture: FixtureEntity) -> None:
        self._attr_reports_position = "current_position" in fixture.attributes
        features = ValveEntityFeature.OPEN | ValveEntityFeature.CLOSE
        if self._attr_reports_position:
            features |= ValveEntityFeature.SET_POSITION
        self._attr_supported_features = features
        super().__init__(fixture)

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        self._attr_is_closed = state == "closed"
        if self._attr_reports_position:
            default = 0 if self._attr_is_closed else 100
            self._attr_current_valve_position = int(attributes.get("current_position", default))

    def _move(self, position: int) -> None:
        self._attr_is_closed = position == 0
        if self._attr_reports_position:
            self._attr_current_valve_position = position
        self.async_write_ha_state()

    @override
    async def async_open_valve(self) -> None:
        self._move(100)

    @override
    async def async_close_valve(self) -> None:
        self._move(0)

    @override
    async def async_set_valve_position(self, position: int) -> None:
        self._move(position)


class VirtualLock(VirtualDevice, LockEntity):
    """A door lock."""

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        self._attr_is_locked = state == "locked"

    @override
    async def async_lock(self, **kwargs: Any) -> None:
        self._attr_is_locked = True
        self.async_write_ha_state()

    @override
    async def async_unlock(self, **kwargs: Any) -> None:
        self._attr_is_locked = False
        self.async_write_ha_state()


_MOVING = (VacuumActivity.CLEANING, VacuumActivity.RETURNING)


class VirtualVacuum(VirtualDevice, StateVacuumEntity):
    """A robot vacuum with its activities."""

    _attr_supported_features = (
        VacuumEntityFeature.START
        | VacuumEntityFeature.STOP
        | VacuumEntityFeature.PAUSE
        | VacuumEntityFeature.RETURN_HOME
        | VacuumEntityFeature.STATE
    )

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        self._attr_activity = VacuumActivity(state)

    def _do(self, activity: VacuumActivity) -> None:
        self._attr_activity = activity
        self.async_write_ha_state()

    @override
    async def async_start(self) -> None:
        self._do(VacuumActivity.CLEANING)

    @override
    async def async_stop(self, **kwargs: Any) -> None:
        # As real robots do: one at its dock (or already still) stays as it is.
        if self._attr_activity in _MOVING:
            self._do(VacuumActivity.IDLE)

    @override
    async def async_pause(self) -> None:
        if self._attr_activity in _MOVING:
            self._do(VacuumActivity.PAUSED)

    @override
    async def async_return_to_base(self, **kwargs: Any) -> None:
        self._do(VacuumActivity.RETURNING)

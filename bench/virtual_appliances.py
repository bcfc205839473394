"""More devices of the virtual home.

Media players, thermostats, to-do lists, sensors and binary sensors.

Same contract as `bench.virtual_devices`: built from a fixture entry, services really
change the state, `restore(state, attributes)` puts it back between sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

from homeassistant.components.binary_sensor import BinarySensorDeviceClass, BinarySensorEntity
from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    ClimateEntityFeature,
    HVACMode,
)
from homeassistant.components.media_player import MediaPlayerEntity
from homeassistant.components.media_player.const import (
    MediaPlayerEntityFeature,
    MediaPlayerState,
)
from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.components.todo import TodoItem, TodoListEntity
from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature

from bench.assist_dataset import FixtureEntity
from bench.virtual_devices import VirtualDevice


class VirtualMediaPlayer(VirtualDevice, MediaPlayerEntity):
    """A speaker or TV: plays, pauses, skips tracks, sets its volume."""

    _attr_supported_features = (
        MediaPlayerEntityFeature.PLAY
        | MediaPlayerEntityFeature.PAUSE
        | MediaPlayerEntityFeature.STOP
        | MediaPlayerEntityFeature.NEXT_TRACK
        | MediaPlayerEntityFeature.PREVIOUS_TRACK
        | MediaPlayerEntityFeature.VOLUME_SET
        | MediaPlayerEntityFeature.VOLUME_STEP
        | MediaPlayerEntityFeature.TURN_ON
        | MediaPlayerEntityFeature.TURN_OFF
    )

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        self._attr_state = MediaPlayerState(state)
        self._attr_volume_level = float(attributes.get("volume_level", 0.3))
        self._attr_media_title = attributes.get("media_title")
        self._attr_media_track = attributes.get("media_track")

    def _set(self, state: MediaPlayerState) -> None:
        self._attr_state = state
        self.async_write_ha_state()

    @override
    async def async_turn_on(self) -> None:
        self._set(MediaPlayerState.ON)

    @override
    async def async_turn_off(self) -> None:
        self._set(MediaPlayerState.OFF)

    @override
    async def async_media_play(self) -> None:
        self._set(MediaPlayerState.PLAYING)

    @override
    async def async_media_pause(self) -> None:
        self._set(MediaPlayerState.PAUSED)

    @override
    async def async_media_stop(self) -> None:
        self._set(MediaPlayerState.IDLE)

    @override
    async def async_media_next_track(self) -> None:
        self._attr_media_track = (self._attr_media_track or 1) + 1
        self.async_write_ha_state()

    @override
    async def async_media_previous_track(self) -> None:
        self._attr_media_track = max(1, (self._attr_media_track or 1) - 1)
        self.async_write_ha_state()

    @override
    async def async_set_volume_level(self, volume: float) -> None:
        self._attr_volume_level = round(volume, 2)
        self.async_write_ha_state()


class VirtualThermostat(VirtualDevice, ClimateEntity):
    """A thermostat with a target temperature and its modes."""

    _attr_hvac_modes = [HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL, HVACMode.AUTO]  # noqa: RUF012
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_target_temperature_step = 0.5
    _last_mode = HVACMode.HEAT

    def __init__(self, fixture: FixtureEntity) -> None:
        if modes := fixture.attributes.get("hvac_modes"):
            self._attr_hvac_modes = [HVACMode(mode) for mode in modes]
        on_modes = [mode for mode in self._attr_hvac_modes if mode != HVACMode.OFF]
        self._last_mode = on_modes[0] if on_modes else HVACMode.HEAT
        super().__init__(fixture)

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        self._attr_hvac_mode = HVACMode(state)
        self._attr_target_temperature = float(attributes.get("temperature") or 20)
        self._attr_current_temperature = float(attributes.get("current_temperature") or 20)

    @override
    async def async_set_temperature(self, **kwargs: Any) -> None:
        if ATTR_TEMPERATURE in kwargs:
            self._attr_target_temperature = float(kwargs[ATTR_TEMPERATURE])
        if ATTR_HVAC_MODE in kwargs:
            self._attr_hvac_mode = HVACMode(kwargs[ATTR_HVAC_MODE])
        self.async_write_ha_state()

    @override
    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        if self._attr_hvac_mode != HVACMode.OFF:
            self._last_mode = self._attr_hvac_mode or HVACMode.HEAT
        self._attr_hvac_mode = hvac_mode
        self.async_write_ha_state()

    @override
    async def async_turn_on(self) -> None:
        await self.async_set_hvac_mode(self._last_mode)

    @override
    async def async_turn_off(self) -> None:
        await self.async_set_hvac_mode(HVACMode.OFF)


class VirtualTodoList(VirtualDevice, TodoListEntity):
    """A to-do list; its open items are also in the `items` attribute for scoring."""

    _attr_supported_features = (
        TodoListEntityFeature.CREATE_TODO_ITEM
        | TodoListEntityFeature.UPDATE_TODO_ITEM
        | TodoListEntityFeature.DELETE_TODO_ITEM
    )
    _next_uid = 0

    def _uid(self) -> str:
        self._next_uid += 1
        return str(self._next_uid)

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        self._attr_todo_items = [
            TodoItem(summary=str(summary), uid=self._uid(), status=TodoItemStatus.NEEDS_ACTION)
            for summary in attributes.get("items", [])
        ]

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The open items, so scoring can see what was added or done."""
        return {
            "items": [
                item.summary
                for item in self._attr_todo_items or []
                if item.status == TodoItemStatus.NEEDS_ACTION
            ]
        }

    @override
    async def async_create_todo_item(self, item: TodoItem) -> None:
        item.uid = self._uid()
        item.status = item.status or TodoItemStatus.NEEDS_ACTION
        self._attr_todo_items = [*(self._attr_todo_items or []), item]
        self.async_write_ha_state()

    @override
    async def async_update_todo_item(self, item: TodoItem) -> None:
        self._attr_todo_items = [
            item if old.uid == item.uid else old for old in self._attr_todo_items or []
        ]
        self.async_write_ha_state()

    @override
    async def async_delete_todo_items(self, uids: list[str]) -> None:
        self._attr_todo_items = [i for i in self._attr_todo_items or [] if i.uid not in uids]
        self.async_write_ha_state()


class VirtualSensor(VirtualDevice, SensorEntity):
    """A sensor showing a number (or text) with its unit."""

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        if device_class := attributes.get("device_class"):
            self._attr_device_class = SensorDeviceClass(device_class)
        self._attr_native_unit_of_measurement = attributes.get("unit_of_measurement")
        if state_class := attributes.get("state_class"):
            self._attr_state_class = state_class
        try:
            self._attr_native_value = float(state)
        except ValueError:
            self._attr_native_value = state


class VirtualBinarySensor(VirtualDevice, BinarySensorEntity):
    """A door, window, motion, occupancy or moisture sensor: on or off, read-only."""

    def __init__(self, fixture: FixtureEntity) -> None:
        if device_class := fixture.attributes.get("device_class"):
            self._attr_device_class = BinarySensorDeviceClass(device_class)
        super().__init__(fixture)

    @override
    def restore(self, state: str, attributes: Mapping[str, Any]) -> None:
        self._attr_is_on = state == "on"

"""The virtual device class of each domain a dataset home can act on or read."""

from __future__ import annotations

from bench.virtual_appliances import (
    VirtualBinarySensor,
    VirtualMediaPlayer,
    VirtualSensor,
    VirtualThermostat,
    VirtualTodoList,
)
from bench.virtual_devices import (
    VirtualCover,
    VirtualDevice,
    VirtualFan,
    VirtualLight,
    VirtualLock,
    VirtualSwitch,
    VirtualVacuum,
    VirtualValve,
)

DEVICE_TYPES: dict[str, type[VirtualDevice]] = {
    "light": VirtualLight,
    "switch": VirtualSwitch,
    "fan": VirtualFan,
    "cover": VirtualCover,
    "valve": VirtualValve,
    "lock": VirtualLock,
    "vacuum": VirtualVacuum,
    "media_player": VirtualMediaPlayer,
    "climate": VirtualThermostat,
    "todo": VirtualTodoList,
    "sensor": VirtualSensor,
    "binary_sensor": VirtualBinarySensor,
}

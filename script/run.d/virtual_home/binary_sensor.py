"""The virtual home's binary sensors (doors, windows, motion): read-only states."""

from .devices import platform_setup

async_setup_platform = platform_setup("binary_sensor")

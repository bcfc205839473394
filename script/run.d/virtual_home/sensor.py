"""The virtual home's sensor devices."""

from .devices import platform_setup

async_setup_platform = platform_setup("sensor")

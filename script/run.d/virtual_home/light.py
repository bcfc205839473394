"""The virtual home's light devices."""

from .devices import platform_setup

async_setup_platform = platform_setup("light")

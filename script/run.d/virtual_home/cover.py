"""The virtual home's cover devices."""

from .devices import platform_setup

async_setup_platform = platform_setup("cover")

"""The virtual home's vacuum devices."""

from .devices import platform_setup

async_setup_platform = platform_setup("vacuum")

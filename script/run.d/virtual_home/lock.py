"""The virtual home's lock devices."""

from .devices import platform_setup

async_setup_platform = platform_setup("lock")

"""The virtual home's valve devices."""

from .devices import platform_setup

async_setup_platform = platform_setup("valve")

"""The virtual home's climate devices."""

from .devices import platform_setup

async_setup_platform = platform_setup("climate")

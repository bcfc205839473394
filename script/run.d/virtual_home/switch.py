"""The virtual home's switch devices."""

from .devices import platform_setup

async_setup_platform = platform_setup("switch")

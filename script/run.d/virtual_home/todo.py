"""The virtual home's todo devices."""

from .devices import platform_setup

async_setup_platform = platform_setup("todo")

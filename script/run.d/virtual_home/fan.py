"""The virtual home's fan devices."""

from .devices import platform_setup

async_setup_platform = platform_setup("fan")

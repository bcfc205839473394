"""The virtual home's media player devices."""

from .devices import platform_setup

async_setup_platform = platform_setup("media_player")

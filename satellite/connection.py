"""One Wyoming connection from Home Assistant to the satellite.

Home Assistant opens short connections to ask `describe`, and one long connection that
runs the satellite (`run-satellite`). A new long connection replaces the old one, which
is how the satellite follows Home Assistant restarts without restarting itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from wyoming.event import Event
from wyoming.info import Describe
from wyoming.ping import Ping, Pong
from wyoming.satellite import PauseSatellite, RunSatellite

from wyoming_shared.protocol import GuardedEventHandler

from .core import Satellite
from .events import parse

_LOGGER = logging.getLogger(__name__)


class HomeAssistantConnection(GuardedEventHandler):
    """Home Assistant's connection to the satellite: events in, handed to the one Satellite."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, satellite: Satellite
    ) -> None:
        super().__init__(reader, writer)
        self.satellite = satellite
        _LOGGER.debug("connection from %s", self.peer)

    async def handle_event(self, event: Event) -> bool:
        """Handle one event from Home Assistant; False closes the connection."""
        if Describe.is_type(event.type):
            await self.send(self.satellite.info.event())
        elif Ping.is_type(event.type):
            await self.send(Pong(text=parse(Ping, event).text).event())
        elif Pong.is_type(event.type):
            pass
        elif RunSatellite.is_type(event.type):
            await self.satellite.attach(self)
        elif PauseSatellite.is_type(event.type):
            await self.satellite.pause(self)
        else:
            await self.satellite.handle(self, event)
        return True

    async def send(self, event: Event) -> None:
        """Send one event to Home Assistant; ConnectionResetError once it has gone."""
        await self.write_event(event)

    async def close(self) -> None:
        """Drop this connection (a newer one from Home Assistant replaced it)."""
        self._is_running = False
        with contextlib.suppress(OSError, RuntimeError):
            self.writer.close()

    async def disconnect(self) -> None:
        """Tell the satellite this connection has gone."""
        self.satellite.detach(self)
        _LOGGER.debug("connection from %s closed", self.peer)

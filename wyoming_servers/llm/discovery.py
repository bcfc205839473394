"""Zeroconf announcement so Home Assistant can find the think-path endpoint."""

from __future__ import annotations

import ipaddress
import logging
import socket

import ifaddr
from zeroconf import ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

SERVICE_TYPE = "_hybrid-voice-llm._tcp.local."
_LOGGER = logging.getLogger(__name__)


def _addresses(host: str) -> list[str]:
    """The host's own addresses for a wildcard bind, else the bound address."""
    if host not in ("0.0.0.0", "::", ""):
        return [host]
    found: list[str] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str) and not ipaddress.ip_address(ip.ip).is_loopback:
                found.append(ip.ip)
    return found or ["127.0.0.1"]


def service_info(name: str, host: str, port: int, model: str) -> ServiceInfo:
    label = name.replace(".", "-")
    return ServiceInfo(
        SERVICE_TYPE,
        f"{label}.{SERVICE_TYPE}",
        port=port,
        parsed_addresses=_addresses(host),
        server=f"{socket.gethostname().split('.')[0]}.local.",
        properties={"api": "openai", "path": "/v1", "model": model, "health": "/health"},
    )


class Announcement:
    """Registered while the model is ready; unregistered on shutdown."""

    def __init__(self, info: ServiceInfo) -> None:
        self.info = info
        self.zeroconf: AsyncZeroconf | None = None

    async def register(self) -> None:
        self.zeroconf = AsyncZeroconf()
        await self.zeroconf.async_register_service(self.info, allow_name_change=True)
        _LOGGER.info("announced %s over zeroconf on port %s", self.info.name, self.info.port)

    async def unregister(self) -> None:
        if self.zeroconf is None:
            return
        await self.zeroconf.async_unregister_service(self.info)
        await self.zeroconf.async_close()
        self.zeroconf = None

"""Zeroconf announcement so Home Assistant can find the think-path endpoint."""

from __future__ import annotations

import ipaddress
import logging
import socket

import ifaddr
from zeroconf import ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

# DNS-SD service names are at most 15 bytes, so "hybrid-voice-llm" does not fit.
SERVICE_TYPE = "_hybridvoice-llm._tcp.local."
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
    """The zeroconf record that announces the endpoint and its model."""
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
        """Announce; a failure is logged and the server keeps serving without it."""
        self.zeroconf = AsyncZeroconf()
        try:
            await self.zeroconf.async_register_service(self.info, allow_name_change=True)
        except Exception as err:  # the network may refuse multicast; serving goes on
            _LOGGER.warning("zeroconf announcement failed: %s", err)
            await self.zeroconf.async_close()
            self.zeroconf = None
            return
        _LOGGER.info("announced %s over zeroconf on port %s", self.info.name, self.info.port)

    async def unregister(self) -> None:
        """Withdraw the announcement."""
        if self.zeroconf is None:
            return
        await self.zeroconf.async_unregister_service(self.info)
        await self.zeroconf.async_close()
        self.zeroconf = None

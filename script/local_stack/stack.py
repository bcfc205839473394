"""The whole stack: start every service, configure Home Assistant, warm the model, stop.

`LocalStack` is used by `script/run`, by `--say` when nothing runs yet, by the
end-to-end tests and by the latency benchmark.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from .fast_setup import async_set_fast_path, wanted_cloud
from .ha_api import HomeAssistantApi, HomeAssistantError
from .home_setup import ConfiguredHome, SetupRecord, async_set_up_home, async_warm_up
from .onboarding import async_get_token
from .processes import ProcessGroup, Service, StartError
from .services import (
    home_assistant_service,
    realtime_standin_service,
    satellite_service,
    speech_services,
)
from .settings import DEMO_PASSWORD, DEMO_USERNAME, StackSettings

HA_RUNNING_TIMEOUT = 600.0
AGENT_WARM_UP_TIMEOUT = 300.0  # the agent's own limit for its warm-up request


@dataclass(frozen=True)
class StackInfo:
    """What `--say` needs to find a running stack (written to the state file)."""

    pid: int
    pipeline_id: str
    ha_url: str

    def to_json(self) -> str:
        """The state file's content."""
        return json.dumps(self.__dict__)


def read_running_stack(settings: StackSettings) -> StackInfo | None:
    """The stack another `script/run` runs, if its process is alive."""
    try:
        data: dict[str, Any] = json.loads(settings.state_file.read_text())
        info = StackInfo(int(data["pid"]), str(data["pipeline_id"]), str(data["ha_url"]))
        os.kill(info.pid, 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return info


async def _wait_running(api: HomeAssistantApi) -> None:
    """Until Home Assistant has finished starting (all integrations set up)."""
    deadline = time.monotonic() + HA_RUNNING_TIMEOUT
    while (await api.rest("GET", "/api/config")).get("state") != "RUNNING":
        if time.monotonic() > deadline:
            raise StartError("home-assistant did not finish starting; see its log")
        await asyncio.sleep(0.5)


@asynccontextmanager
async def connected(settings: StackSettings) -> AsyncIterator[HomeAssistantApi]:
    """A logged-in API session on the demo instance (onboards it the first time)."""
    async with aiohttp.ClientSession() as session:
        token = await async_get_token(session, settings.ha_url)
        api = HomeAssistantApi(session, settings.ha_url, token)
        await _wait_running(api)
        await api.connect()
        try:
            yield api
        finally:
            await api.close()


def _release_pipe(fifo: Path, stopped: threading.Event) -> None:
    """Open and close the pipe's writing end now and then, until `stopped`."""
    while not stopped.wait(0.2):
        with contextlib.suppress(OSError):  # no reader (yet), or no pipe
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


class LocalStack:
    """Start and stop the services; configure and warm Home Assistant."""

    def __init__(
        self,
        settings: StackSettings,
        announce: Callable[[str], None],
        *,
        with_home_assistant: bool = True,
    ) -> None:
        self.settings = settings
        self.announce = announce
        self.with_home_assistant = with_home_assistant
        self.processes = ProcessGroup(announce)
        self.home: ConfiguredHome | None = None
        self._ha_log_start = 0

    def services(self) -> list[Service]:
        """Every service this stack runs, in start order."""
        services = speech_services(self.settings)
        if self.settings.realtime_standin:
            services.append(realtime_standin_service(self.settings))
        if self.with_home_assistant:
            services += [satellite_service(self.settings), home_assistant_service(self.settings)]
        return services

    async def start(self) -> None:
        """Start every service at once; StartError names the first that failed."""
        self.settings.logs.mkdir(parents=True, exist_ok=True)
        ha_log = self.settings.logs / "home-assistant.log"
        self._ha_log_start = ha_log.stat().st_size if ha_log.exists() else 0
        services = self.services()
        for service in services:
            self.announce(f"starting {service.name} ({service.what}), log {service.log_path}")
        results = await asyncio.gather(
            *(asyncio.to_thread(self.processes.start, s) for s in services),
            return_exceptions=True,
        )
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            raise failures[0]

    async def configure(self, *, warm_up: bool = True) -> float:
        """Onboard/configure Home Assistant and warm the think path; warm-up seconds."""
        seconds = 0.0
        async with connected(self.settings) as api:
            self.home = await async_set_up_home(api, self.settings, self.announce)
            await self._fast_path(api)
            if warm_up:
                self.announce("waiting for the agent to fill the model's prompt cache")
                await self._agent_warmed()
                self.announce("warming the think path (first conversation.process round trip)")
                seconds = await async_warm_up(api, self.home.agent_entity, self.announce)
        self.settings.state_file.write_text(
            StackInfo(os.getpid(), self.home.pipeline_id, self.settings.ha_url).to_json()
        )
        return seconds

    async def _fast_path(self, api: HomeAssistantApi) -> None:
        """The agent's cloud path: OpenAI with a key, the stand-in, or none."""
        record = SetupRecord(self.settings.run_dir / "home-setup.json")
        agent = record.get("agent")
        if agent is None:
            return
        standin = self.settings.ports.realtime if self.settings.realtime_standin else None
        cloud = wanted_cloud(self.settings.openai_api_key, standin)
        await async_set_fast_path(api, record, str(agent["entry_id"]), cloud, self.announce)

    async def _agent_warmed(self) -> None:
        """Until the agent's own warm-up at start has finished (or given up)."""
        log = self.settings.logs / "home-assistant.log"
        deadline = time.monotonic() + AGENT_WARM_UP_TIMEOUT
        while time.monotonic() < deadline:
            with log.open("rb") as text:
                text.seek(self._ha_log_start)
                if b"Prompt cache warmed" in (seen := text.read()):
                    return
            if b"Prompt cache not warmed" in seen:
                self.announce("the agent could not fill the prompt cache; see its log")
                return
            await asyncio.sleep(1.0)

    def where(self) -> list[str]:
        """What runs where, for the user."""
        ports = self.settings.ports
        lines = [
            f"speech-to-text   tcp://127.0.0.1:{ports.stt}   (hybrid-voice-stt)",
            f"text-to-speech   tcp://127.0.0.1:{ports.tts}   (hybrid-voice-tts)",
            f"local model      {self.settings.llm_url}   (hybrid-voice-llm)",
        ]
        if self.settings.realtime_standin:
            lines.append(f"Realtime stand-in ws://127.0.0.1:{ports.realtime}/v1")
        if self.with_home_assistant:
            lines += [
                f"satellite        tcp://127.0.0.1:{ports.satellite}   (microphone: "
                f"{self.settings.mic_fifo}, speaker: {self.settings.sounds}/)",
                f"Home Assistant   http://localhost:{ports.home_assistant}   "
                f"(user '{DEMO_USERNAME}', password '{DEMO_PASSWORD}')",
            ]
        lines.append(f"logs             {self.settings.logs}/")
        return lines

    def stop(self) -> None:
        """Stop every service this stack started."""
        # The satellite may be waiting for a writer on its microphone pipe, where a
        # signal alone does not reach it: open the pipe for it until everything stopped.
        stopped = threading.Event()
        poker = threading.Thread(target=_release_pipe, args=(self.settings.mic_fifo, stopped))
        poker.start()
        try:
            self.processes.stop_all()
        finally:
            stopped.set()
            poker.join()
        try:
            info = read_running_stack(self.settings)
            if info is not None and info.pid == os.getpid():
                self.settings.state_file.unlink()
        except OSError:
            pass

    async def run_until_stopped(self, stop: asyncio.Event) -> str | None:
        """Wait for `stop` or a service that exits; the exit's description, if any."""
        while not stop.is_set():
            if (gone := self.processes.exited()) is not None:
                return (
                    f"{gone.service.name} exited with code {gone.process.returncode}; "
                    f"see {gone.service.log_path}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0)
        return None


__all__ = ["HomeAssistantError", "LocalStack", "StartError", "connected", "read_running_stack"]

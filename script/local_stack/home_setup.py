"""The demo instance configured through Home Assistant's own APIs, as a user would.

Idempotent: what exists is reused. A record in the run directory remembers which config
entry serves which port, so a second start adds nothing, and a port changed between
starts replaces the old entry instead of adding a second one.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ha_api import HomeAssistantApi, HomeAssistantError
from .settings import AGENT_NAME, LLM_MODEL, PIPELINE_NAME, StackSettings

AGENT_ENTITY = "conversation.hybrid_voice"
WARM_UP_SENTENCE = "Is it warm in the bedroom?"  # think path, short answer, acts on nothing
WARM_UP_ATTEMPTS = 3
WARM_ENOUGH = 10.0  # seconds; a cold prefix takes 15-30 s on two cores
SHOPPING_LIST = "todo.shopping_list"
SHOPPING_ITEMS = ("eggs", "bread")


@dataclass(frozen=True)
class ConfiguredHome:
    """What the voice turn needs: the engines, the agent, the pipeline, the satellite."""

    stt_entity: str
    tts_entity: str
    agent_entity: str
    pipeline_id: str
    satellite_entity: str | None


class SetupRecord:
    """`role -> {entry_id, port}` of the entries this tool made, kept as JSON."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.data: dict[str, Any] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.data = {}

    def get(self, role: str) -> dict[str, Any] | None:
        """The record of `role`, if any."""
        found = self.data.get(role)
        return found if isinstance(found, dict) else None

    def put(self, role: str, **values: Any) -> None:
        """Remember `role` and write the record at once."""
        self.data[role] = values
        self.path.write_text(json.dumps(self.data, indent=2))


class HomeSetup:
    """Brings one running instance to the configured state."""

    def __init__(
        self, api: HomeAssistantApi, settings: StackSettings, announce: Callable[[str], None]
    ) -> None:
        self.api = api
        self.settings = settings
        self.announce = announce
        self.record = SetupRecord(settings.run_dir / "home-setup.json")

    async def _entries(self) -> dict[str, dict[str, Any]]:
        entries = await self.api.call("config_entries/get")
        return {entry["entry_id"]: entry for entry in entries}

    async def _entities_of(self, entry_id: str) -> list[dict[str, Any]]:
        entities = await self.api.call("config/entity_registry/list")
        return [e for e in entities if e.get("config_entry_id") == entry_id]

    async def ensure_entry(self, role: str, handler: str, *steps: dict[str, Any]) -> str:
        """The entry of `role` (e.g. "stt"); made with `steps` if missing or stale."""
        entries = await self._entries()
        known = self.record.get(role)
        wanted = json.dumps(steps, sort_keys=True)
        if known and known.get("entry_id") in entries:
            if known.get("steps") == wanted:
                return str(known["entry_id"])
            await self.api.rest("DELETE", f"/api/config/config_entries/entry/{known['entry_id']}")
        result = await self.api.flow(handler, *steps)
        if result.get("type") != "create_entry":
            raise HomeAssistantError(f"{handler} ({role}): {result.get('reason', result)}")
        entry_id = str(result["result"]["entry_id"])
        self.record.put(role, entry_id=entry_id, steps=wanted)
        self.announce(f"added {handler} entry for {role}")
        return entry_id

    async def entity_of(self, entry_id: str, domain: str, limit: float = 60.0) -> str:
        """The `domain` entity of an entry (waits for its platform to set up)."""
        deadline = time.monotonic() + limit
        while True:
            for entity in await self._entities_of(entry_id):
                if entity["entity_id"].startswith(f"{domain}."):
                    return str(entity["entity_id"])
            if time.monotonic() > deadline:
                raise HomeAssistantError(f"entry {entry_id} made no {domain} entity")
            await asyncio.sleep(0.5)

    async def wyoming(self, role: str, port: int, domain: str) -> str:
        """A Wyoming entry for the server on `port`; its `domain` entity."""
        entry = await self.ensure_entry(role, "wyoming", {"host": "127.0.0.1", "port": port})
        return await self.entity_of(entry, domain)

    async def agent(self) -> str:
        """The hybrid_voice entry on the local model server, named after the product."""
        endpoint = {"url": self.settings.llm_url}
        options = {"model": LLM_MODEL, "llm_hass_api": "assist", "language": "en"}
        entry_id = await self.ensure_entry("agent", "hybrid_voice", endpoint, options)
        entity_id = await self.entity_of(entry_id, "conversation")
        entries = await self._entries()
        if entries[entry_id]["title"] != AGENT_NAME:
            await self.api.call("config_entries/update", entry_id=entry_id, title=AGENT_NAME)
        if entity_id != AGENT_ENTITY:
            await self.api.call(
                "config/entity_registry/update",
                entity_id=entity_id,
                name=AGENT_NAME,
                new_entity_id=AGENT_ENTITY,
            )
        entity = await self.api.call("config/entity_registry/get", entity_id=AGENT_ENTITY)
        if entity.get("device_id"):
            device = {"device_id": entity["device_id"], "name_by_user": AGENT_NAME}
            await self.api.call("config/device_registry/update", **device)
        return AGENT_ENTITY

    async def pipeline(
        self, stt: str, tts: str, agent: str, name: str = PIPELINE_NAME, preferred: bool = True
    ) -> str:
        """The assist pipeline `name` (preferred: the satellite's) with these engines."""
        fields = {
            "name": name,
            "language": "en",
            "conversation_engine": agent,
            "conversation_language": "en",
            "stt_engine": stt,
            "stt_language": "en",
            "tts_engine": tts,
            "tts_language": "en_US",
            "tts_voice": None,
            "wake_word_entity": None,
            "wake_word_id": None,
            "prefer_local_intents": False,
        }
        listing = await self.api.call("assist_pipeline/pipeline/list")
        ours = next((p for p in listing["pipelines"] if p["name"] == name), None)
        if ours is None:
            ours = await self.api.call("assist_pipeline/pipeline/create", **fields)
            self.announce(f"added the assist pipeline '{name}'")
        elif any(ours.get(key) != value for key, value in fields.items()):
            ours = await self.api.call(
                "assist_pipeline/pipeline/update", pipeline_id=ours["id"], **fields
            )
        if preferred and listing.get("preferred_pipeline") != ours["id"]:
            await self.api.call("assist_pipeline/pipeline/set_preferred", pipeline_id=ours["id"])
        return str(ours["id"])

    async def shopping_list(self) -> None:
        """Two items on the onboarding's shopping list, the first time only."""
        if self.record.get("shopping_list") is not None:
            return
        state = await self.api.rest("GET", f"/api/states/{SHOPPING_LIST}")
        if state.get("state") == "0":
            for item in SHOPPING_ITEMS:
                await self.api.rest(
                    "POST",
                    "/api/services/todo/add_item",
                    {"entity_id": SHOPPING_LIST, "item": item},
                )
        self.record.put("shopping_list", items=list(SHOPPING_ITEMS))


async def async_set_up_home(
    api: HomeAssistantApi,
    settings: StackSettings,
    announce: Callable[[str], None],
    *,
    with_satellite: bool = True,
) -> ConfiguredHome:
    """Configure (or find) the Wyoming entries, the agent, the pipeline and the satellite."""
    setup = HomeSetup(api, settings, announce)
    ports = settings.ports
    stt = await setup.wyoming("stt", ports.stt, "stt")
    tts = await setup.wyoming("tts", ports.tts, "tts")
    agent = await setup.agent()
    pipeline_id = await setup.pipeline(stt, tts, agent)
    try:
        await setup.shopping_list()
    except HomeAssistantError as err:
        announce(f"shopping list left empty: {err}")
    satellite = None
    if with_satellite:
        satellite = await setup.wyoming("satellite", ports.satellite, "assist_satellite")
    return ConfiguredHome(stt, tts, agent, pipeline_id, satellite)


async def async_warm_up(
    api: HomeAssistantApi, agent: str, announce: Callable[[str], None]
) -> float:
    """Think-path round trips through `conversation.process` until one is fast.

    The first one reads the model's whole prompt prefix (unless the agent's own
    warm-up at start has done so); a busy machine may need another. Returns the
    seconds of the last round trip.
    """
    seconds = 0.0
    for attempt in range(1, WARM_UP_ATTEMPTS + 1):
        started = time.monotonic()
        await api.call("conversation/process", text=WARM_UP_SENTENCE, agent_id=agent, language="en")
        seconds = time.monotonic() - started
        announce(f"think path round trip {attempt}: {seconds:.1f} s")
        if seconds <= WARM_ENOUGH:
            break
    return seconds

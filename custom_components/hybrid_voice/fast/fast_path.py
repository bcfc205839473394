"""The fast path of one agent as the conversation uses it.

It owns the agent's Realtime session, the day's cloud budget (a repair issue says when
it is spent), the path's health breaker (probed in the background while open) and the
fast-path history of each conversation: the turns it answered itself, never those of
the think path. Every request goes through the privacy boundary (`cloud_request`).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import floor_registry as fr
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from custom_components.hybrid_voice.const import (
    CONF_CLOUD_BUDGET,
    CONF_FAST_PROMPT,
    CONF_FAST_TIMEOUT,
    CONF_OPENAI_KEY,
    CONF_PRICE_CACHED,
    CONF_PRICE_INPUT,
    CONF_PRICE_OUTPUT,
    CONF_REALTIME_MODEL,
    CONF_REALTIME_URL,
    CONF_ROUTING,
    DEFAULT_CLOUD_BUDGET,
    DEFAULT_FAST_TIMEOUT,
    DEFAULT_REALTIME_MODEL,
    DEFAULT_REALTIME_URL,
    DOMAIN,
    LOGGER,
    ROUTING_LOCAL_ONLY,
)
from custom_components.hybrid_voice.engine.path_health import PathHealth
from custom_components.hybrid_voice.models import ExposedHome
from custom_components.hybrid_voice.think.home import async_exposed_home

from .budget import CloudBudget, TokenPrice
from .cloud_request import (
    DEFAULT_FAST_INSTRUCTIONS,
    MAX_HISTORY_TURNS,
    FastTurn,
    HomeNameInRequest,
    PrivateWords,
    build_cloud_request,
)
from .realtime_errors import HandOffRequested, RealtimeError
from .realtime_session import RealtimeSession, RealtimeSettings

# Conversations whose fast-path turns are remembered (the oldest are forgotten).
MAX_CONVERSATIONS = 64
BUDGET_ISSUE = "cloud_budget_spent"


@dataclass(frozen=True)
class FastOptions:
    """The fast path's options of one agent."""

    api_key: str
    model: str
    base_url: str
    instructions: str
    daily_budget: float  # USD, 0 = no limit
    first_delta_timeout: float
    price: TokenPrice | None = None  # the user's own prices of the model

    @classmethod
    def of(cls, options: Mapping[str, Any]) -> FastOptions | None:
        """The fast path's options of an entry; None without a key or when local only."""
        key = options.get(CONF_OPENAI_KEY)
        if not key or options.get(CONF_ROUTING) == ROUTING_LOCAL_ONLY:
            return None
        return cls(
            api_key=str(key),
            model=str(options.get(CONF_REALTIME_MODEL) or DEFAULT_REALTIME_MODEL),
            base_url=str(options.get(CONF_REALTIME_URL) or DEFAULT_REALTIME_URL),
            instructions=str(options.get(CONF_FAST_PROMPT) or DEFAULT_FAST_INSTRUCTIONS),
            daily_budget=float(options.get(CONF_CLOUD_BUDGET, DEFAULT_CLOUD_BUDGET)),
            first_delta_timeout=float(options.get(CONF_FAST_TIMEOUT, DEFAULT_FAST_TIMEOUT)),
            price=_own_price(options),
        )


def _own_price(options: Mapping[str, Any]) -> TokenPrice | None:
    """The user's prices of the model when all three are set."""
    names = (CONF_PRICE_INPUT, CONF_PRICE_CACHED, CONF_PRICE_OUTPUT)
    values = [options[name] for name in names if options.get(name) is not None]
    return TokenPrice(*map(float, values)) if len(values) == len(names) else None


class FastPath:
    """The cloud path of one agent: `async_start`, then `unavailable()` / `stream()`."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        options: FastOptions,
        on_auth_failed: Callable[[], None],
    ) -> None:
        self._hass = hass
        self.options = options
        self._on_auth_failed = on_auth_failed
        self.health = PathHealth("fast")
        self.budget = CloudBudget(
            hass,
            f"{DOMAIN}.{entry_id}.cloud_usage",
            options.daily_budget,
            options.model,
            {options.model: options.price} if options.price else None,
        )
        self._issue_id = f"{BUDGET_ISSUE}_{entry_id}"
        self._histories: OrderedDict[str, deque[FastTurn]] = OrderedDict()
        self._private = PrivateWords(frozenset())
        self.session: RealtimeSession | None = None
        self._disabled = ""
        self._probe: asyncio.Task[None] | None = None

    async def async_start(self, private: PrivateWords) -> None:
        """Load today's spend and open the connection."""
        await self.budget.async_load()
        self._private = private
        try:
            config = build_cloud_request(self.options.instructions, private).session
        except HomeNameInRequest as err:
            self._disabled = str(err)
            LOGGER.warning("Fast path off: %s; every request is answered locally", err)
            return
        settings = RealtimeSettings(
            base_url=self.options.base_url,
            api_key=self.options.api_key,
            model=self.options.model,
            first_delta_timeout=self.options.first_delta_timeout,
        )
        self.session = RealtimeSession(
            async_get_clientsession(self._hass),
            settings,
            config,
            on_usage=self._count,
            on_auth_failed=self._on_auth_failed,
        )
        self.session.start(self._hass.async_create_background_task)

    async def async_stop(self) -> None:
        """Close the connection and save the day's spend."""
        if self._probe is not None:
            self._probe.cancel()
        if self.session is not None:
            await self.session.async_stop()
        await self.budget.async_save()

    def unavailable(self) -> str | None:
        """Why this turn cannot use the fast path, or None if it can."""
        if self.session is None:
            return self._disabled or "not started"
        if self.session.auth_failed:
            return "the service refused the API key"
        if self.budget.exhausted:
            self._raise_budget_issue()
            return "the daily cloud budget is spent"
        ir.async_delete_issue(self._hass, DOMAIN, self._issue_id)
        if self.health.is_open:
            self._probe_in_background()
            return f"the fast path is failing ({self.health.reason})"
        return None

    async def stream(
        self, text: str, conversation_id: str, private: PrivateWords
    ) -> AsyncIterator[str]:
        """The reply's text deltas.

        Raises `HomeNameInRequest` before anything is sent, `HandOffRequested` or a
        `RealtimeError`.
        """
        self._private = private
        history = self._histories.get(conversation_id, ())
        request = build_cloud_request(
            self.options.instructions, private, text=text, history=tuple(history)
        )
        assert request.response is not None
        assert self.session is not None
        started = time.monotonic()
        first_delta: float | None = None
        reply = ""
        try:
            async for delta in self.session.reply(request.response):
                first_delta = first_delta or time.monotonic() - started
                reply += delta
                yield delta
        except HandOffRequested:
            self.health.record_success(time.monotonic() - started)
            raise
        except RealtimeError as err:
            self.health.record_failure(str(err))
            raise
        self.health.record_success(first_delta or time.monotonic() - started)
        self._remember(conversation_id, FastTurn(text, reply))

    def _remember(self, conversation_id: str, turn: FastTurn) -> None:
        history = self._histories.pop(conversation_id, None) or deque(maxlen=MAX_HISTORY_TURNS)
        history.append(turn)
        self._histories[conversation_id] = history
        while len(self._histories) > MAX_CONVERSATIONS:
            self._histories.popitem(last=False)

    def _count(self, usage: dict[str, Any]) -> None:
        self.budget.add(usage)

    def _raise_budget_issue(self) -> None:
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            self._issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=BUDGET_ISSUE,
            translation_placeholders={
                "limit": f"{self.budget.daily_limit:.2f}",
                "spent": f"{self.budget.spent:.2f}",
            },
        )

    def _probe_in_background(self) -> None:
        """While the breaker is open, check now and then that the connection is up."""
        if not self.health.probe_due() or self.session is None:
            return
        session = self.session

        async def probe() -> None:
            ok = False
            try:
                async with asyncio.timeout(self.options.first_delta_timeout):
                    while not session.connected:  # noqa: ASYNC110 (the session's own state)
                        await asyncio.sleep(0.1)
                ok = True
            except TimeoutError:
                pass
            finally:
                self.health.probe_finished(ok)

        self._probe = self._hass.async_create_background_task(probe(), f"{DOMAIN} fast probe")


async def async_start_fast_path(hass: HomeAssistant, entry: ConfigEntry[Any]) -> FastPath | None:
    """The entry's fast path, connecting in the background; None if it has none.

    A key the service refuses starts Home Assistant's re-authentication flow.
    """
    options = FastOptions.of(entry.options)
    if options is None:
        return None
    fast = FastPath(hass, entry.entry_id, options, lambda: entry.async_start_reauth(hass))
    await fast.async_start(async_private_words(hass, async_exposed_home(hass)))
    return fast


@callback
def async_place_names(hass: HomeAssistant) -> list[str]:
    """Every area's and floor's name and aliases."""
    places: list[str] = []
    for area in ar.async_get(hass).async_list_areas():
        places += [area.name, *area.aliases]
    for floor in fr.async_get(hass).async_list_floors():
        places += [floor.name, *floor.aliases]
    return places


@callback
def async_private_words(hass: HomeAssistant, home: ExposedHome) -> PrivateWords:
    """The home's words that must not leave: `home` and its areas' and floors' names."""
    return PrivateWords.of(home, async_place_names(hass))

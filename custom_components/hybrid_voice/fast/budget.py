"""What the fast path costs: token prices per model and the day's spend, kept in storage.

`response.done` reports the tokens of each reply; they are priced with the model's list
prices (USD per million text tokens: input, cached input, output) and added to the
day's total, which is saved in Home Assistant's storage so a restart does not reset it.
A new day starts from zero. Prices can be overridden per model (they change).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

STORAGE_VERSION = 1
SAVE_DELAY = 1.0  # seconds; Home Assistant also writes pending saves when it stops


@dataclass(frozen=True)
class TokenPrice:
    """USD per million text tokens."""

    input: float
    cached_input: float
    output: float


# List prices (late 2026) of the text tokens of the Realtime models.
DEFAULT_PRICES: Mapping[str, TokenPrice] = {
    "gpt-realtime": TokenPrice(4.0, 0.4, 16.0),
    "gpt-realtime-mini": TokenPrice(0.6, 0.06, 2.4),
}


def price_for(model: str, prices: Mapping[str, TokenPrice]) -> TokenPrice:
    """The price of `model`.

    Its own entry, else the longest name it starts with (dated snapshots), else the most
    expensive entry, so an unknown model is never free.
    """
    if model in prices:
        return prices[model]
    prefixes = [name for name in prices if model.startswith(name)]
    if prefixes:
        return prices[max(prefixes, key=len)]
    return max(prices.values(), key=lambda price: price.output)


def cost_of(usage: Mapping[str, Any], price: TokenPrice) -> float:
    """USD for one `response.done` usage; cached tokens are part of the input tokens."""
    input_tokens = _count(usage.get("input_tokens"))
    details = usage.get("input_token_details")
    cached = _count(details.get("cached_tokens")) if isinstance(details, Mapping) else 0
    cached = min(cached, input_tokens)
    output_tokens = _count(usage.get("output_tokens"))
    return (
        (input_tokens - cached) * price.input
        + cached * price.cached_input
        + output_tokens * price.output
    ) / 1_000_000


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value > 0 else 0


class CloudBudget:
    """The day's fast-path spend against a daily limit in USD (0: no limit)."""

    def __init__(
        self,
        hass: HomeAssistant,
        key: str,
        daily_limit: float,
        model: str,
        prices: Mapping[str, TokenPrice] | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        self._store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, key)
        self.daily_limit = daily_limit
        self._price = price_for(model, {**DEFAULT_PRICES, **(prices or {})})
        self._today = today or (lambda: dt_util.now().date())
        self._day = ""
        self.spent = 0.0
        self.responses = 0

    async def async_load(self) -> None:
        """Read today's spend (a stored day other than today counts as zero)."""
        stored = await self._store.async_load() or {}
        if stored.get("day") == self._today().isoformat():
            self._day = str(stored["day"])
            self.spent = float(stored.get("spent_usd", 0.0))
            self.responses = int(stored.get("responses", 0))

    @property
    def exhausted(self) -> bool:
        """Today's spend reached the limit."""
        self._roll_over()
        return self.daily_limit > 0 and self.spent >= self.daily_limit

    def add(self, usage: Mapping[str, Any]) -> None:
        """Count one reply's tokens; the day's total is saved a moment later."""
        self._roll_over()
        self.spent += cost_of(usage, self._price)
        self.responses += 1
        self._store.async_delay_save(self._data, SAVE_DELAY)

    async def async_save(self) -> None:
        """Save the day's total now (when the agent stops)."""
        if self._day:
            await self._store.async_save(self._data())

    def _data(self) -> dict[str, Any]:
        return {"day": self._day, "spent_usd": self.spent, "responses": self.responses}

    def _roll_over(self) -> None:
        today = self._today().isoformat()
        if today != self._day:
            self._day, self.spent, self.responses = today, 0.0, 0

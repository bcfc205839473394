"""The fast path's cost per day (kept across restarts) and the breaker of each path."""

from __future__ import annotations

from datetime import date

import pytest
from homeassistant.core import HomeAssistant

from custom_components.hybrid_voice.engine.path_health import PathHealth
from custom_components.hybrid_voice.fast.budget import (
    DEFAULT_PRICES,
    CloudBudget,
    TokenPrice,
    cost_of,
    price_for,
)

USAGE = {
    "input_tokens": 1_000_000,
    "output_tokens": 500_000,
    "input_token_details": {"cached_tokens": 400_000},
}


# Functions, not the properties themselves: mypy would take a property it has seen
# asserted false as false for the rest of the test.
def _exhausted(budget: CloudBudget) -> bool:
    return budget.exhausted


def _open(health: PathHealth) -> bool:
    return health.is_open


def test_tokens_are_priced_per_model() -> None:
    mini = price_for("gpt-realtime-mini", DEFAULT_PRICES)
    # 600k fresh input at $0.60, 400k cached at $0.06, 500k output at $2.40 per 1M.
    assert cost_of(USAGE, mini) == pytest.approx(0.36 + 0.024 + 1.2)
    assert price_for("gpt-realtime-mini-2025-12-15", DEFAULT_PRICES) == mini
    assert price_for("gpt-realtime", DEFAULT_PRICES).output == 16.0
    # A model nobody priced costs as much as the dearest one, never nothing.
    assert price_for("someone-elses-realtime", DEFAULT_PRICES).output == 16.0
    assert cost_of({"input_tokens": "many", "output_tokens": -3}, mini) == 0.0


async def test_the_days_spend_survives_a_restart_and_a_new_day_starts_at_zero(
    hass: HomeAssistant,
) -> None:
    today = date(2026, 12, 2)
    budget = CloudBudget(
        hass, "hybrid_voice.test.cloud_usage", 1.0, "gpt-realtime-mini", today=lambda: today
    )
    await budget.async_load()
    assert not _exhausted(budget)
    budget.add(USAGE)
    assert _exhausted(budget)
    await budget.async_save()

    restarted = CloudBudget(
        hass, "hybrid_voice.test.cloud_usage", 1.0, "gpt-realtime-mini", today=lambda: today
    )
    await restarted.async_load()
    assert restarted.spent == pytest.approx(budget.spent)
    assert restarted.exhausted

    tomorrow = CloudBudget(
        hass,
        "hybrid_voice.test.cloud_usage",
        1.0,
        "gpt-realtime-mini",
        today=lambda: date(2026, 12, 3),
    )
    await tomorrow.async_load()
    assert not tomorrow.exhausted
    assert tomorrow.spent == 0.0


async def test_user_prices_replace_the_list_prices(hass: HomeAssistant) -> None:
    budget = CloudBudget(
        hass,
        "hybrid_voice.test2.cloud_usage",
        0.5,
        "gpt-realtime-mini",
        prices={"gpt-realtime-mini": TokenPrice(0.0, 0.0, 0.0)},
    )
    await budget.async_load()
    budget.add(USAGE)
    assert budget.spent == 0.0
    assert not _exhausted(budget)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_failing_path_opens_is_probed_and_closes_by_itself() -> None:
    clock = Clock()
    health = PathHealth("fast", failure_threshold=2, retry_after=30.0, clock=clock)
    health.record_failure("429")
    assert not _open(health)
    health.record_failure("429")
    assert _open(health)
    assert not health.probe_due()  # not before retry_after
    clock.now += 31
    assert health.probe_due()
    assert not health.probe_due()  # one probe at a time
    health.probe_finished(ok=False)
    assert _open(health)
    clock.now += 31
    assert health.probe_due()
    health.probe_finished(ok=True)
    assert not _open(health)
    health.record_failure("429")
    assert not _open(health)  # the count started again


def test_a_slow_path_counts_as_failing() -> None:
    health = PathHealth("think", slow_seconds=2.0, window=3, clock=Clock())
    for latency in (0.5, 3.0, 0.4):
        health.record_success(latency)
    assert not _open(health)
    for latency in (3.0, 4.0):
        health.record_success(latency)
    assert _open(health)
    assert "slow" in health.reason

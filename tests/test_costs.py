"""Prices, costs and the budget of --max-cost."""

from __future__ import annotations

import math

import pytest

from evalkit.costs import Budget, Price, parse_prices
from evalkit.errors import ConfigError


def test_cost_per_million_tokens() -> None:
    prices = parse_prices({"gpt-4o": {"input": 2.5, "output": 10}})
    assert prices["gpt-4o"] == Price(2.5, 10.0)
    assert prices["gpt-4o"].cost(1_000_000, 100_000) == pytest.approx(3.5)


@pytest.mark.parametrize(
    "table",
    [
        {"m": {"input": "2"}},
        {"m": {"input": math.nan, "output": 1}},
        {"m": {"input": math.inf, "output": 1}},
        {"m": {"input": -1, "output": 1}},
        {"m": {"input": 1, "outptu": 1}},
        {"m": 5},
        [1, 2],
        {"m": {"input": True, "output": 1}},
    ],
)
def test_bad_prices_are_one_line(table) -> None:
    with pytest.raises(ConfigError) as err:
        parse_prices(table)
    assert "\n" not in str(err.value) and "prices" in str(err.value)


def test_budget_stops_before_the_batch_that_would_exceed() -> None:
    budget = Budget(limit=1.0, prices={"m": Price(1.0, 1.0)})
    assert budget.allows(100)
    budget.charge("m", 100_000, 100_000, requests=4)  # 0.2 dollars, 0.05 a request
    assert budget.allows(16) and not budget.allows(17)
    budget.charge("m", 400_000, 400_000, requests=16)
    assert budget.spent == pytest.approx(1.0) and not budget.allows(1)


def test_unpriced_models_are_counted_not_guessed() -> None:
    budget = Budget(limit=None, prices={})
    assert budget.charge("unknown", 10, 10) == 0.0 and budget.unpriced == 1
    with pytest.raises(ConfigError):
        Budget(limit=math.nan, prices={})

"""What model calls cost: token usage, a price table, and a budget that stops a run.

Prices come from ``evalkit.toml``, in US dollars per million tokens, per model name::

    [prices."gpt-4o"]
    input = 2.50
    output = 10.00

A :class:`Budget` (``--max-cost``) is charged after every batch of answers; before the
next batch it predicts that batch's cost from the mean cost of a request so far and
refuses it when the total would go past the limit. The run then stops cleanly, with
everything answered so far kept, and a rerun with a higher limit resumes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from evalkit.errors import ConfigError


@dataclass(frozen=True)
class Price:
    """US dollars per million input (prompt) and output (completion) tokens."""

    input: float
    output: float

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.input + completion_tokens * self.output) / 1e6


def parse_prices(table: Any, where: str = "evalkit.toml") -> dict[str, Price]:
    """The ``[prices]`` table, validated: one line naming the model and key at fault."""
    if table is None:
        return {}
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: [prices] must be a table of model = {{input, output}}")
    prices = {}
    for model, entry in table.items():
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{where}: [prices.{model!r}] must be a table with input and output")
        unknown = sorted(set(entry) - {"input", "output"})
        if unknown:
            raise ConfigError(
                f"{where}: [prices.{model!r}] unknown key {unknown[0]!r} (input, output)"
            )
        values = []
        for key in ("input", "output"):
            v = entry.get(key)
            if (
                isinstance(v, bool)
                or not isinstance(v, (int, float))
                or not math.isfinite(v)
                or v < 0
            ):
                raise ConfigError(
                    f"{where}: [prices.{model!r}] {key} must be a finite number >= 0"
                    " (US dollars per million tokens)"
                )
            values.append(float(v))
        prices[str(model)] = Price(*values)
    return prices


@dataclass
class Budget:
    """Money spent so far against an optional limit.

    Args:
        limit: The most a run may spend (US dollars), or None for no limit.
        prices: Price per model; usage of a model without a price costs nothing known.
    """

    limit: float | None
    prices: Mapping[str, Price]
    spent: float = 0.0
    requests: int = 0
    unpriced: int = 0

    def __post_init__(self) -> None:
        if self.limit is not None and (not math.isfinite(self.limit) or self.limit < 0):
            raise ConfigError(f"--max-cost must be a finite number >= 0, got {self.limit}")

    def charge(
        self, model: str, prompt_tokens: int, completion_tokens: int, requests: int = 1
    ) -> float:
        """Add what ``requests`` answers of ``model`` cost; returns that cost."""
        price = self.prices.get(model)
        self.requests += requests
        if price is None:
            self.unpriced += requests
            return 0.0
        cost = price.cost(prompt_tokens, completion_tokens)
        self.spent += cost
        return cost

    def allows(self, n_requests: int) -> bool:
        """Whether ``n_requests`` more requests fit in the limit, at the mean cost so far."""
        if self.limit is None:
            return True
        if self.spent >= self.limit:
            return False
        if self.requests == 0:
            return True
        return self.spent + n_requests * (self.spent / self.requests) <= self.limit

    def require_price(self, model: str, what: str = "model") -> None:
        """Refuse a limit that cannot be kept: ``model`` reports tokens but has no price.

        Raises:
            ConfigError: naming the model and the table to add.
        """
        if model not in self.prices:
            raise ConfigError(
                f"--max-cost needs the price of {what} {model!r}: add [prices.{model!r}] with"
                " input and output (US dollars per million tokens) to evalkit.toml"
            )

    def step(
        self,
        model: str,
        prompt_tokens: int,
        completion_tokens: int,
        *,
        asked: int,
        next_n: int,
        what: str = "request(s)",
    ) -> str | None:
        """Charge ``asked`` answers of ``model``, then say why ``next_n`` more may not be
        sent (``--max-cost``), or None when they fit."""
        if asked:
            self.charge(model, prompt_tokens, completion_tokens, requests=asked)
        if next_n and not self.allows(next_n):
            return (
                f"stopped by --max-cost {self.limit:g}: spent ${self.spent:.4f}; the next"
                f" {next_n} {what} would pass the limit"
            )
        return None

"""Tokens and cost of the model calls of a run, read from run.json ``usage``.

The table is kept in :attr:`~evalkit.records.RunRecord.usage` as written (``{"system":
{model, prompt_tokens, completion_tokens, cost}, "judges": {metric: {...}}}``);
:func:`model_usage` reads it as one :class:`ModelUsage` per model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ModelUsage:
    """Tokens (and cost) of one model's calls in a run, read from run.json ``usage``.

    Attributes:
        role: ``system`` or ``judge``.
        name: The system's model, or the judge's metric.
        cost: US dollars, where a price was known.
    """

    role: str
    name: str
    prompt_tokens: int
    completion_tokens: int
    cost: float | None = None

    @classmethod
    def from_table(cls, role: str, name: str, table: Mapping[str, Any]) -> ModelUsage:
        cost = table.get("cost")
        return cls(
            role=role,
            name=name,
            prompt_tokens=int(table.get("prompt_tokens") or 0),
            completion_tokens=int(table.get("completion_tokens") or 0),
            cost=float(cost) if isinstance(cost, (int, float)) else None,
        )


def model_usage(table: Mapping[str, Any]) -> list[ModelUsage]:
    """Each model in a usage table: the system's, then the judges' by metric."""
    out = []
    system = table.get("system")
    if isinstance(system, Mapping):
        out.append(ModelUsage.from_table("system", str(system.get("model", "?")), system))
    judges = table.get("judges") or {}
    for metric, entry in sorted(judges.items()):
        if isinstance(entry, Mapping):
            out.append(ModelUsage.from_table("judge", str(metric), entry))
    return out

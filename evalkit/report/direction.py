"""Which way a metric is better, as table headers, chart subtitles and legends show it.

Everything comes from :func:`evalkit.scorers.facts.metric_facts`: the label, the
direction (higher, lower, or closer to a target) and the display digits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from evalkit.scorers.facts import MetricFacts, metric_facts

ARROWS = {"higher": "↑", "lower": "↓"}


def facts_of(metrics: Iterable[str]) -> dict[str, MetricFacts]:
    """The facts of each metric, looked up once for a whole report."""
    return {m: metric_facts(m) for m in metrics}


def marker(facts: MetricFacts) -> str:
    """``↑`` (higher is better), ``↓`` (lower is better) or ``→1`` (closer to 1 is better)."""
    if facts.direction == "target" and facts.target is not None:
        return f"→{facts.target:g}"
    return ARROWS.get(facts.direction, "")


def header(facts: MetricFacts) -> str:
    """A column header: ``BLEU ↑``, ``TER ↓``, ``length ratio →1``."""
    return f"{facts.label} {marker(facts)}".strip()


def phrase(facts: MetricFacts) -> str:
    """``higher is better``, ``lower is better``, ``closer to 1 is better``."""
    return f"{facts.better} is better"


def legend(facts: Iterable[MetricFacts]) -> str:
    """One line explaining the markers in use: ``↑ higher is better · ↓ lower is better``."""
    seen: dict[str, str] = {}
    for f in facts:
        seen.setdefault(marker(f), phrase(f))
    return " · ".join(f"{m} {p}" for m, p in seen.items() if m)


def lookup(facts: Mapping[str, MetricFacts], metric: str) -> MetricFacts:
    """The facts of ``metric`` from ``facts``, else from its scorer."""
    found = facts.get(metric)
    return found if found is not None else metric_facts(metric)

"""Tolerances of the regression gate: built-in defaults, ``evalkit.toml``, the command line.

A tolerance (``max_drop``) is in the metric's own units: BLEU, chrF and TER points
(0-100), ROUGE, BERTScore and COMET on 0-1. The command line wins over
``[check.max_drop]`` in ``evalkit.toml``, which wins over the ``max_drop`` its scorer
class declares (:func:`evalkit.scorers.facts.metric_facts`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evalkit.errors import ConfigError


def parse_max_drop(items: Sequence[str]) -> dict[str, float]:
    """Parse ``["bleu=1.0", "ter=2"]`` into ``{"bleu": 1.0, "ter": 2.0}``.

    Raises:
        ConfigError: for an item that is not ``METRIC=NUMBER`` with a number >= 0.
    """
    out: dict[str, float] = {}
    for item in items:
        metric, sep, value = item.partition("=")
        out[metric.strip()] = _tolerance(
            value if sep and metric.strip() else None, f"--max-drop {item!r}"
        )
    return out


def _tolerance(value: Any, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or number < 0:
        raise ConfigError(f"{where}: expected METRIC=NUMBER with a number >= 0")
    return number


def config_max_drop(directory: str | Path | None = None) -> dict[str, float]:
    """The ``[check.max_drop]`` table of the project configuration (empty when none).

    The configuration is ``evalkit.toml`` of ``directory`` (default: the current
    directory), else ``[tool.evalkit.check.max_drop]`` of its ``pyproject.toml``,
    read by :func:`evalkit.config.load_config`.

    Raises:
        ConfigError: naming the file for invalid TOML or a value that is not a number >= 0.
    """
    from evalkit.config import load_config

    config = load_config(directory)
    where = "[check.max_drop]"
    if config.path is not None and config.path.name == "pyproject.toml":
        where = "[tool.evalkit.check.max_drop]"
    check = config.data.get("check") or {}
    table = check.get("max_drop") or {} if isinstance(check, dict) else None
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table of metric = number", path=config.path)
    return {str(k): _tolerance(v, f"{config.path}: {where} {k}") for k, v in table.items()}


def resolve_max_drop(
    metrics: Sequence[str], cli: Mapping[str, float], config: Mapping[str, float]
) -> dict[str, float]:
    """Tolerance per metric: the command line, then ``evalkit.toml``, then the defaults.

    Raises:
        ConfigError: for a ``--max-drop`` metric the baseline does not have (most
            likely a typo), with the closest name. ``evalkit.toml`` may name metrics the
            baseline lacks (a project can hold several baselines).
    """
    from evalkit.didyoumean import suggest

    unknown = sorted(set(cli) - set(metrics))
    if unknown:
        raise ConfigError(
            f"--max-drop names {unknown[0]!r}, which the baseline does not score; "
            f"{suggest(unknown[0], metrics)}"
        )
    return {m: float(cli.get(m, config.get(m, default_max_drop(m)))) for m in metrics}


def default_max_drop(metric: str) -> float:
    """The tolerance ``metric``'s scorer declares (0 for a scorer that is not installed)."""
    from evalkit.scorers.facts import metric_facts

    return metric_facts(metric).max_drop


def __getattr__(name: str) -> Any:
    # Deprecated: 0.1.0 kept a table of tolerances here; they are declared on the scorers.
    if name == "DEFAULT_MAX_DROP":
        from evalkit.scorers import SCORERS

        return {m: default_max_drop(m) for m in SCORERS.names()}
    if name == "FALLBACK_MAX_DROP":
        return 0.0
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

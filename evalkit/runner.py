"""Old import path of :mod:`evalkit.system_runner`, kept for scripts and plugins."""

from __future__ import annotations

from evalkit.system_runner import (
    Failure,
    OutputCache,
    RunnerResult,
    read_outputs,
    run_system,
    short_hash,
    slug,
    system_key,
)

__all__ = [
    "Failure",
    "OutputCache",
    "RunnerResult",
    "read_outputs",
    "run_system",
    "short_hash",
    "slug",
    "system_key",
]

"""Old import path of :mod:`evalkit.run_pipeline` (``evalkit run``), kept for scripts."""

from __future__ import annotations

from evalkit.run_pipeline import (
    CACHE_DIR,
    MAX_SEED,
    RunOptions,
    RunResult,
    check_options,
    execute,
    git_revision,
)

__all__ = [
    "CACHE_DIR",
    "MAX_SEED",
    "RunOptions",
    "RunResult",
    "check_options",
    "execute",
    "git_revision",
]

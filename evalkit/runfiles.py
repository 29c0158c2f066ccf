"""Old import path of :mod:`evalkit.run_folder` (the run folder format), kept for plugins."""

from __future__ import annotations

from evalkit.run_folder import (
    ALL_WEEKS,
    OUTPUTS_FILE,
    RUN_FILE,
    RUN_KEYS,
    SEGMENTS_FILE,
    SLICE_KEYS,
    LoadedRun,
    load_run,
)

__all__ = [
    "ALL_WEEKS",
    "OUTPUTS_FILE",
    "RUN_FILE",
    "RUN_KEYS",
    "SEGMENTS_FILE",
    "SLICE_KEYS",
    "LoadedRun",
    "load_run",
]

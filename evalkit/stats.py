"""The evalkit 0.1 home of the interval and resampling functions, kept for imports.

:mod:`evalkit.intervals` has :func:`score_with_ci`; :mod:`evalkit.resample` draws the
resamples; :mod:`evalkit.paired` has the paired tests.
"""

from __future__ import annotations

from evalkit.intervals import score_with_ci
from evalkit.resample import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    MAX_BLOCK_CELLS,
    bootstrap_scores,
    check_seed,
    iter_resample_counts,
    iter_resample_indices,
    iter_swap_masks,
    percentile_ci,
    point_score,
    resample_counts,
    resampled_totals,
    resampled_totals_many,
)

__all__ = [
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "MAX_BLOCK_CELLS",
    "bootstrap_scores",
    "check_seed",
    "iter_resample_counts",
    "iter_resample_indices",
    "iter_swap_masks",
    "percentile_ci",
    "point_score",
    "resample_counts",
    "resampled_totals",
    "resampled_totals_many",
    "score_with_ci",
]


def __getattr__(name: str) -> object:
    # The paired tests live in evalkit.paired; they were first defined here.
    if name in ("PairedResult", "paired_bootstrap", "paired_ar", "paired_test"):
        from evalkit import paired

        return getattr(paired, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

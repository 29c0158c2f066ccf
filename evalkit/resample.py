"""Resample draws and what is computed from them: the one way evalkit draws resamples.

Bootstrap resamples and approximate-randomization swaps, drawn as sacrebleu draws them
from ``numpy.random.default_rng(seed)``, summed over segment statistics, turned into
percentile intervals. A leaf module: :mod:`evalkit.intervals` and
:mod:`evalkit.paired` (paired tests) both build on it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from evalkit.scorers.base import Scorer

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 12345


#: Upper bound on the cells of one block of resample counts (rows x segments):
#: 2**20 cells keep a block near 24 MB whatever the number of segments.
MAX_BLOCK_CELLS = 2**20


def check_seed(seed: object, *, what: str = "seed") -> int:
    """``seed`` as an int a generator accepts (0 .. 2**63-1).

    Raises:
        ConfigError: naming ``what`` for a negative, fractional or non-numeric seed.
    """
    import operator

    from evalkit.errors import ConfigError

    try:
        value = operator.index(seed)  # type: ignore[arg-type]
    except TypeError:
        value = -1
    if isinstance(seed, bool) or not 0 <= value < 2**63:
        raise ConfigError(f"{what} {seed!r}: expected an integer from 0 to 2**63-1")
    return value


def iter_resample_indices(
    n: int, n_resamples: int, seed: int, *, max_cells: int = MAX_BLOCK_CELLS
) -> Iterator[np.ndarray]:
    """The segments drawn by each bootstrap resample, in blocks of rows ``(b, n)``.

    sacrebleu draws ``rng.choice(n, size=(n_resamples, n))`` from one
    ``default_rng(seed)``; drawing the same integers a block of rows at a time gives the
    same rows in the same order, in memory bounded by ``max_cells``. This is the one
    place resamples are drawn: counts, totals and paired tests all come from here.
    """
    rng = np.random.default_rng(check_seed(seed))
    if n <= 0:
        return
    rows_per_block = max(1, max_cells // n)
    done = 0
    while done < n_resamples:
        b = min(rows_per_block, n_resamples - done)
        yield rng.integers(0, n, size=(b, n))
        done += b


def iter_resample_counts(
    n: int, n_resamples: int, seed: int, *, max_cells: int = MAX_BLOCK_CELLS
) -> Iterator[np.ndarray]:
    """Blocks of :func:`resample_counts`, in order, each at most ``max_cells`` cells.

    The concatenated blocks equal ``resample_counts(n, n_resamples, seed)``: counts of
    the rows of :func:`iter_resample_indices`.
    """
    for idx in iter_resample_indices(n, n_resamples, seed, max_cells=max_cells):
        b = len(idx)
        idx = idx + (np.arange(b, dtype=idx.dtype) * n)[:, None]
        yield np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)


def iter_swap_masks(
    n: int, n_trials: int, seed: int, *, max_cells: int = MAX_BLOCK_CELLS
) -> Iterator[np.ndarray]:
    """Approximate-randomization masks, ``(b, n)`` booleans per block: True swaps nothing.

    Equal to sacrebleu's ``rng.integers(2, size=(n_trials, n), dtype=bool)``. numpy
    draws booleans 32 at a time from one 32-bit word, so blocks hold a multiple of 32
    cells (but the last) and the stream stays the same.
    """
    rng = np.random.default_rng(check_seed(seed))
    if n <= 0:
        return
    unit = 32 // math.gcd(n, 32)
    rows_per_block = max(unit, (max_cells // n) // unit * unit)
    done = 0
    while done < n_trials:
        b = min(rows_per_block, n_trials - done)
        yield rng.integers(2, size=b * n, dtype=bool).reshape(b, n)
        done += b


def resample_counts(n: int, n_resamples: int, seed: int) -> np.ndarray:
    """How often each of ``n`` segments is drawn in each resample: ``(n_resamples, n)``.

    Holds the whole matrix: prefer :func:`iter_resample_counts` or
    :func:`resampled_totals_many` for large ``n``.
    """
    blocks = list(iter_resample_counts(n, n_resamples, seed))
    return np.concatenate(blocks) if blocks else np.zeros((n_resamples, max(n, 0)))


def resampled_totals(stats: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Column sums of ``stats`` under each resample: ``(n_resamples, k)``."""
    return counts @ stats


def resampled_totals_many(
    stats_list: Sequence[np.ndarray],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    max_cells: int = MAX_BLOCK_CELLS,
) -> list[np.ndarray]:
    """Resampled column sums of several statistics matrices over the same segments.

    Every matrix (one per metric, per system) sees the same resamples, drawn once and
    in bounded memory; the result for each equals ``resampled_totals(m, counts)``.

    Args:
        stats_list: Matrices of shape ``(n, k_i)`` with the same ``n``.
        max_cells: Largest block of resample counts drawn at once (memory bound).

    Returns:
        One ``(n_resamples, k_i)`` matrix per input.
    """
    mats = [np.asarray(m, dtype=np.float64) for m in stats_list]
    if not mats:
        return []
    n = mats[0].shape[0]
    if any(m.shape[0] != n for m in mats):
        raise ValueError(f"statistics differ in number of segments: {[m.shape[0] for m in mats]}")
    # One product per block over all columns at once, so the counts are read once;
    # OpenBLAS is ~10x faster on (k, n) @ (n, b) than on (b, n) @ (n, k) for n >> k, b.
    stacked_t = np.ascontiguousarray(np.hstack(mats).T)
    totals = np.zeros((n_resamples, stacked_t.shape[0]))
    row = 0
    for counts in iter_resample_counts(n, n_resamples, seed, max_cells=max_cells):
        totals[row : row + len(counts)] = (stacked_t @ counts.T).T
        row += len(counts)
    bounds = np.cumsum([0] + [m.shape[1] for m in mats])
    return [totals[:, bounds[i] : bounds[i + 1]] for i in range(len(mats))]


def bootstrap_scores(
    scorer: Scorer,
    stats: np.ndarray,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> np.ndarray:
    """Corpus scores of ``n_resamples`` bootstrap resamples of the segments."""
    (totals,) = resampled_totals_many([stats], n_resamples=n_resamples, seed=seed)
    return scorer.scores_from_totals(totals)


def percentile_ci(samples: np.ndarray, point: float, alpha: float = 0.05) -> tuple[float, float]:
    """Percentile interval of ``samples``, widened if needed to contain ``point``.

    Resamples whose score is undefined (a judge scorer's resample that drew only
    unjudged segments) are left out; with none left the interval is undefined too.
    """
    samples = np.asarray(samples, dtype=np.float64)
    samples = samples[np.isfinite(samples)]
    if samples.size == 0:
        return math.nan, math.nan
    lo = float(np.percentile(samples, 100 * alpha / 2))
    hi = float(np.percentile(samples, 100 * (1 - alpha / 2)))
    return min(lo, point), max(hi, point)


def point_score(scorer: Scorer, totals: np.ndarray) -> float:
    """The corpus score of one vector of column sums, by the scorer's exact scalar path."""
    exact = getattr(scorer, "score_from_totals", None)
    if exact is not None:
        return float(exact(totals))
    return float(scorer.scores_from_totals(np.asarray(totals)[None, :])[0])

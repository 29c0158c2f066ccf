"""Statistics over segment statistics: corpus scores, bootstrap CIs, paired tests.

Everything here works on the ``(n, k)`` matrices of :meth:`Scorer.stats` and never
sees text. Randomness goes through ``numpy.random.default_rng(seed)`` and the seed is
recorded in signatures; the defaults match sacrebleu (1,000 resamples, seed 12345).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from evalkit.scorers.base import Score, Scorer

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 12345


#: Upper bound on the cells of one block of resample counts (rows x segments):
#: 2**20 cells keep a block near 24 MB whatever the number of segments.
MAX_BLOCK_CELLS = 2**20


def iter_resample_counts(
    n: int, n_resamples: int, seed: int, *, max_cells: int = MAX_BLOCK_CELLS
) -> Iterator[np.ndarray]:
    """Blocks of :func:`resample_counts`, in order, each at most ``max_cells`` cells.

    The concatenated blocks equal ``resample_counts(n, n_resamples, seed)``: the
    generator draws the same integers in the same order, a block of rows at a time,
    so memory stays bounded for 100,000 segments and more.
    """
    rng = np.random.default_rng(seed)
    if n <= 0:
        return
    rows_per_block = max(1, max_cells // n)
    done = 0
    while done < n_resamples:
        b = min(rows_per_block, n_resamples - done)
        idx = rng.integers(0, n, size=(b, n))
        idx += (np.arange(b, dtype=idx.dtype) * n)[:, None]
        yield np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)
        done += b


def resample_counts(n: int, n_resamples: int, seed: int) -> np.ndarray:
    """How often each of ``n`` segments is drawn in each resample: ``(n_resamples, n)``.

    Drawn as sacrebleu does, ``rng.integers(0, n, n)`` per resample, from one
    ``default_rng(seed)``. Holds the whole matrix: prefer :func:`iter_resample_counts`
    or :func:`resampled_totals_many` for large ``n``.
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
) -> list[np.ndarray]:
    """Resampled column sums of several statistics matrices over the same segments.

    Every matrix (one per metric, per system) sees the same resamples, drawn once and
    in bounded memory; the result for each equals ``resampled_totals(m, counts)``.

    Args:
        stats_list: Matrices of shape ``(n, k_i)`` with the same ``n``.

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
    for counts in iter_resample_counts(n, n_resamples, seed):
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


def score_with_ci(
    scorer: Scorer,
    stats: np.ndarray,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    resampled: np.ndarray | None = None,
) -> Score:
    """Corpus score of ``stats`` with a 95% bootstrap CI and every component.

    Args:
        scorer: The scorer that produced ``stats``.
        stats: Segment statistics ``(n, k)``.
        n_resamples: Bootstrap resamples (0: no CI).
        seed: Bootstrap seed (recorded in the signature).
        resampled: Precomputed resampled totals ``(n_resamples, k)`` (from
            :func:`resampled_totals_many`, to draw resamples once for many matrices).
    """
    from evalkit.scorers.base import Score

    stats = np.asarray(stats, dtype=np.float64)
    n = stats.shape[0]
    totals = stats.sum(axis=0)
    point = point_score(scorer, totals)
    ci = None
    if n > 0 and n_resamples > 0:
        if resampled is None:
            (resampled,) = resampled_totals_many([stats], n_resamples=n_resamples, seed=seed)
        ci = percentile_ci(scorer.scores_from_totals(resampled), point)
    signature = scorer.signature()
    if n_resamples > 0:
        signature += f"|ci:bootstrap-{n_resamples}|seed:{seed}"
    return Score(
        metric=scorer.name,
        score=point,
        ci95=ci,
        components=scorer.components(totals),
        signature=signature,
        n=n,
    )


@dataclass(frozen=True)
class PairedResult:
    """Paired bootstrap comparison of a candidate against a baseline on the same segments.

    Attributes:
        baseline: Baseline corpus score.
        candidate: Candidate corpus score.
        delta: ``candidate - baseline``.
        ci95: 95% interval of the resampled delta.
        p_value: Two-sided p-value of "no difference" (Koehn 2004, as in sacrebleu).
    """

    baseline: float
    candidate: float
    delta: float
    ci95: tuple[float, float]
    p_value: float


def paired_bootstrap(
    scorer: Scorer,
    baseline_stats: np.ndarray,
    candidate_stats: np.ndarray,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> PairedResult:
    """Paired bootstrap test: the same resampled segments for both systems.

    The p-value counts resamples whose centred delta is at least as extreme as the
    observed one, ``(c + 1) / (n_resamples + 1)``.
    """
    a = np.asarray(baseline_stats, dtype=np.float64)
    b = np.asarray(candidate_stats, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"paired statistics differ in shape: {a.shape} vs {b.shape}")
    base = point_score(scorer, a.sum(axis=0))
    cand = point_score(scorer, b.sum(axis=0))
    delta = cand - base
    n = a.shape[0]
    if n == 0:
        return PairedResult(base, cand, delta, (delta, delta), 1.0)
    ta, tb = resampled_totals_many([a, b], n_resamples=n_resamples, seed=seed)
    deltas = scorer.scores_from_totals(tb) - scorer.scores_from_totals(ta)
    centred = deltas - deltas.mean()
    extreme = int(np.sum(np.abs(centred) >= abs(delta) - 1e-12))
    p = (extreme + 1) / (n_resamples + 1)
    lo, hi = percentile_ci(deltas, delta)
    return PairedResult(base, cand, delta, (lo, hi), min(1.0, p))

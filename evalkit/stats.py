"""Statistics over segment statistics: corpus scores, bootstrap CIs, paired tests.

Everything here works on the ``(n, k)`` matrices of :meth:`Scorer.stats` and never
sees text. Randomness goes through ``numpy.random.default_rng(seed)`` and the seed is
recorded in signatures; the defaults match sacrebleu (1,000 resamples, seed 12345).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from evalkit.scorers.base import Score, Scorer

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 12345


def resample_counts(n: int, n_resamples: int, seed: int) -> np.ndarray:
    """How often each of ``n`` segments is drawn in each resample: ``(n_resamples, n)``.

    Drawn as sacrebleu does, ``rng.integers(0, n, n)`` per resample, from one
    ``default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_resamples, n))
    counts = np.zeros((n_resamples, n), dtype=np.float64)
    rows = np.repeat(np.arange(n_resamples), n)
    np.add.at(counts, (rows, idx.ravel()), 1.0)
    return counts


def resampled_totals(stats: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Column sums of ``stats`` under each resample: ``(n_resamples, k)``."""
    return counts @ stats


def bootstrap_scores(
    scorer: Scorer, stats: np.ndarray, *, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED
) -> np.ndarray:
    """Corpus scores of ``n_resamples`` bootstrap resamples of the segments."""
    n = stats.shape[0]
    counts = resample_counts(n, n_resamples, seed)
    return scorer.scores_from_totals(resampled_totals(stats, counts))


def percentile_ci(samples: np.ndarray, point: float, alpha: float = 0.05) -> tuple[float, float]:
    """Percentile interval of ``samples``, widened if needed to contain ``point``."""
    lo = float(np.percentile(samples, 100 * alpha / 2))
    hi = float(np.percentile(samples, 100 * (1 - alpha / 2)))
    return min(lo, point), max(hi, point)


def score_with_ci(
    scorer: Scorer, stats: np.ndarray, *, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED
) -> Score:
    """Corpus score of ``stats`` with a 95% bootstrap CI and every component."""
    from evalkit.scorers.base import Score

    stats = np.asarray(stats, dtype=np.float64)
    n = stats.shape[0]
    totals = stats.sum(axis=0)
    point = float(scorer.scores_from_totals(totals[None, :])[0])
    ci = None
    if n > 0 and n_resamples > 0:
        ci = percentile_ci(bootstrap_scores(scorer, stats, n_resamples=n_resamples, seed=seed), point)
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
    base = float(scorer.scores_from_totals(a.sum(axis=0)[None, :])[0])
    cand = float(scorer.scores_from_totals(b.sum(axis=0)[None, :])[0])
    delta = cand - base
    n = a.shape[0]
    if n == 0:
        return PairedResult(base, cand, delta, (delta, delta), 1.0)
    counts = resample_counts(n, n_resamples, seed)
    deltas = scorer.scores_from_totals(counts @ b) - scorer.scores_from_totals(counts @ a)
    centred = deltas - deltas.mean()
    extreme = int(np.sum(np.abs(centred) >= abs(delta) - 1e-12))
    p = (extreme + 1) / (n_resamples + 1)
    lo, hi = percentile_ci(deltas, delta)
    return PairedResult(base, cand, delta, (lo, hi), min(1.0, p))

"""A corpus score with its bootstrap confidence interval, from segment statistics.

Works on the ``(n, k)`` matrices of :meth:`Scorer.segment_stats` and never sees text.
Resamples are drawn in :mod:`evalkit.resample`; the paired tests are in
:mod:`evalkit.paired`. The defaults match sacrebleu (1,000 resamples, seed 12345).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from evalkit.resample import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    percentile_ci,
    point_score,
    resampled_totals_many,
)
from evalkit.scores import Score

if TYPE_CHECKING:
    from evalkit.scorers.base import Scorer


def score_with_ci(
    scorer: Scorer,
    stats: np.ndarray,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    resampled: np.ndarray | None = None,
    confidence: float = 0.95,
) -> Score:
    """Corpus score of ``stats`` with a bootstrap CI (95% unless ``confidence``) and
    every component.

    Args:
        scorer: The scorer that produced ``stats``.
        stats: Segment statistics ``(n, k)``.
        n_resamples: Bootstrap resamples (0: no CI).
        seed: Bootstrap seed (recorded in the signature).
        resampled: Precomputed resampled totals ``(n_resamples, k)`` (from
            :func:`resampled_totals_many`, to draw resamples once for many matrices).
        confidence: Level of the interval (0 < confidence < 1).
    """
    stats = np.asarray(stats, dtype=np.float64)
    n = stats.shape[0]
    totals = stats.sum(axis=0)
    point = point_score(scorer, totals)
    ci = None
    if n > 0 and n_resamples > 0:
        if resampled is None:
            (resampled,) = resampled_totals_many([stats], n_resamples=n_resamples, seed=seed)
        alpha = round(1 - confidence, 12)  # 1 - 0.95 is 0.0500...04 in floating point
        ci = percentile_ci(scorer.scores_from_totals(resampled), point, alpha)
    sig_for = getattr(scorer, "signature_for", None)
    signature = sig_for(totals) if sig_for is not None else scorer.signature()
    if n_resamples > 0:
        level = "" if confidence == 0.95 else f"|level:{confidence:g}"
        signature += f"|ci:bootstrap-{n_resamples}|seed:{seed}{level}"
    return Score(
        metric=scorer.name,
        score=point,
        ci95=ci,
        components=scorer.components(totals),
        signature=signature,
        n=n,
        **({"confidence": confidence} if confidence != 0.95 else {}),
    )

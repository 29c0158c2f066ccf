"""Paired significance tests of a candidate against a baseline on the same segments.

Both tests are sacrebleu's (``sacrebleu/significance.py``), number for number:

- **paired bootstrap** (``bs``, Koehn 2004; 1,000 resamples): the same resampled
  segments for both systems. The p-value counts resamples where
  ``|D*| - mean(|D*|) > |d|`` (``D*`` the resampled difference, ``d`` the observed one),
  ``(c + 1) / (R + 1)``; each system gets the bootstrap mean and the half-width of
  the 95% interval (``estimate_ci``).
- **paired approximate randomization** (``ar``; 10,000 trials): each trial swaps the two
  systems' outputs of a random half of the segments; the p-value counts trials whose
  ``|score_a - score_b| > |d|``.

Like sacrebleu, two identical systems get ``p = 1 / (R + 1)``: a p-value alone is not a
difference; callers decide "significant" as ``p < alpha`` **and** a change.

Scorers that reproduce a reference implementation (sacrebleu's BLEU, chrF, TER) provide
``bootstrap_score(totals)``, the reference's own arithmetic on the float32 column sums
that sacrebleu's bootstrap adds up; the test then sums the float32 statistics of each
resample exactly as sacrebleu does. Other scorers are resampled through the vectorised
:meth:`~evalkit.scorers.base.Scorer.scores_from_totals` in float64.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from evalkit.resample import (
    DEFAULT_SEED,
    check_seed,
    iter_resample_indices,
    iter_swap_masks,
    percentile_ci,
    point_score,
    resampled_totals_many,
)

if TYPE_CHECKING:
    from evalkit.scorers.base import Scorer

BOOTSTRAP, RANDOMIZATION = "bs", "ar"
#: Short names of the tests, as in signatures (``paired-bs-1000|seed:12345``).
METHODS = {BOOTSTRAP: "paired-bs", RANDOMIZATION: "paired-ar"}
#: Long names, as in JSON ``method`` fields.
NAMES = {BOOTSTRAP: "paired-bootstrap", RANDOMIZATION: "paired-approximate-randomization"}
#: sacrebleu's defaults: 1,000 bootstrap resamples, 10,000 randomization trials.
DEFAULT_SAMPLES = {BOOTSTRAP: 1000, RANDOMIZATION: 10000}
#: Relative distance to the observed difference below which a randomization trial is
#: scored again exactly: far above the rounding error of vectorised float64 scores.
_NEAR = 1e-9


@dataclass(frozen=True)
class PairedResult:
    """A paired comparison of a candidate against a baseline on the same segments.

    Attributes:
        baseline: Baseline corpus score.
        candidate: Candidate corpus score.
        delta: ``candidate - baseline``.
        ci95: Percentile 95% interval of the resampled delta (bootstrap only).
        p_value: sacrebleu's p-value of "no difference".
        method: ``bs`` or ``ar``.
        n_samples: Bootstrap resamples or randomization trials.
        seed: The generator seed.
        baseline_mean: Bootstrap mean of the baseline score (sacrebleu's ``mean``).
        baseline_ci: Half-width of its 95% interval (sacrebleu's ``ci``).
        candidate_mean: Bootstrap mean of the candidate score.
        candidate_ci: Half-width of its 95% interval.
    """

    baseline: float
    candidate: float
    delta: float
    ci95: tuple[float, float] | None
    p_value: float
    method: str = BOOTSTRAP
    n_samples: int = DEFAULT_SAMPLES[BOOTSTRAP]
    seed: int = DEFAULT_SEED
    baseline_mean: float | None = None
    baseline_ci: float | None = None
    candidate_mean: float | None = None
    candidate_ci: float | None = None

    @property
    def test(self) -> str:
        """``paired-bs-1000|seed:12345``: what to record in a signature."""
        return f"{METHODS[self.method]}-{self.n_samples}|seed:{self.seed}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ci95"] = list(self.ci95) if self.ci95 is not None else None
        return d


def check_method(method: str) -> str:
    """``method`` if it is ``bs`` or ``ar``.

    Raises:
        ConfigError: for any other value.
    """
    from evalkit.errors import ConfigError

    if method not in METHODS:
        raise ConfigError(f"unknown paired test {method!r}; known: bs, ar")
    return method


def estimate_ci(scores: np.ndarray) -> tuple[float, float]:
    """Mean and half-width of the 95% interval of ``scores`` (sacrebleu's ``estimate_ci``)."""
    s = np.sort(np.asarray(scores))
    lower = len(s) // 40
    upper = len(s) - lower - 1
    return float(s.mean()), float(0.5 * (s[upper] - s[lower]))


def _p_value(statistics: np.ndarray, observed: float) -> float:
    # sacrebleu's _compute_p_value: strictly greater, plus one on both sides.
    count = int(np.sum(statistics > observed))
    return (count + 1) / (len(statistics) + 1)


def _prepare(baseline_stats: Any, candidate_stats: Any) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(baseline_stats, dtype=np.float64)
    b = np.asarray(candidate_stats, dtype=np.float64)
    if a.ndim != 2 or a.shape != b.shape:
        raise ValueError(f"paired statistics differ in shape: {a.shape} vs {b.shape}")
    return a, b


def _bootstrap_scores(
    scorer: Scorer, mats: list[np.ndarray], n_resamples: int, seed: int
) -> list[np.ndarray]:
    """Each matrix's score under each resample (the same resamples for all)."""
    exact: Callable[[np.ndarray], Any] | None = getattr(scorer, "bootstrap_score", None)
    if exact is None:
        totals = resampled_totals_many(mats, n_resamples=n_resamples, seed=seed)
        return [np.asarray(scorer.scores_from_totals(t), dtype=np.float64) for t in totals]
    # sacrebleu: np.array(stats, dtype='float32')[idx].sum(0), scored one resample at a
    # time; the scores keep the type the arithmetic gives (float32 for chrF and TER), so
    # means, intervals and p-values are computed in the same precision as sacrebleu's.
    mats32 = [m.astype(np.float32) for m in mats]
    out: list[list[Any]] = [[] for _ in mats]
    for block in iter_resample_indices(len(mats[0]), n_resamples, seed):
        for row in block:
            for scores, m in zip(out, mats32, strict=True):
                scores.append(exact(m[row].sum(0)))
    return [np.array(s) for s in out]


def paired_bootstrap(
    scorer: Scorer,
    baseline_stats: Any,
    candidate_stats: Any,
    *,
    n_resamples: int = DEFAULT_SAMPLES[BOOTSTRAP],
    seed: int = DEFAULT_SEED,
) -> PairedResult:
    """Paired bootstrap resampling, equal to sacrebleu's ``--paired-bs``.

    Args:
        scorer: The scorer of both statistics matrices.
        baseline_stats: Baseline segment statistics ``(n, k)``.
        candidate_stats: Candidate segment statistics, the same segments in the same order.
        n_resamples: Bootstrap resamples.
        seed: Generator seed.
    """
    seed = check_seed(seed)
    a, b = _prepare(baseline_stats, candidate_stats)
    base = point_score(scorer, a.sum(axis=0))
    cand = point_score(scorer, b.sum(axis=0))
    delta = cand - base
    if len(a) == 0 or n_resamples < 1:
        return PairedResult(base, cand, delta, None, 1.0, BOOTSTRAP, n_resamples, seed)
    scores_a, scores_b = _bootstrap_scores(scorer, [a, b], n_resamples, seed)
    diffs = np.abs(scores_b - scores_a)
    p = _p_value(diffs - diffs.mean(), abs(base - cand))
    base_mean, base_ci = estimate_ci(scores_a)
    cand_mean, cand_ci = estimate_ci(scores_b)
    return PairedResult(
        baseline=base,
        candidate=cand,
        delta=delta,
        ci95=percentile_ci(scores_b - scores_a, delta),
        p_value=p,
        method=BOOTSTRAP,
        n_samples=n_resamples,
        seed=seed,
        baseline_mean=base_mean,
        baseline_ci=base_ci,
        candidate_mean=cand_mean,
        candidate_ci=cand_ci,
    )


def paired_ar(
    scorer: Scorer,
    baseline_stats: Any,
    candidate_stats: Any,
    *,
    n_trials: int = DEFAULT_SAMPLES[RANDOMIZATION],
    seed: int = DEFAULT_SEED,
) -> PairedResult:
    """Paired approximate randomization, equal to sacrebleu's ``--paired-ar``.

    Trial scores are computed from exact (float64) column sums, as sacrebleu sums its
    integer statistics; for scorers that reproduce a reference implementation, every
    trial whose outcome rounding could change is scored by their exact scalar path
    (:meth:`Scorer.score_from_totals`), so the p-value is sacrebleu's.
    """
    seed = check_seed(seed)
    a, b = _prepare(baseline_stats, candidate_stats)
    base = point_score(scorer, a.sum(axis=0))
    cand = point_score(scorer, b.sum(axis=0))
    if len(a) == 0 or n_trials < 1:
        return PairedResult(base, cand, cand - base, None, 1.0, RANDOMIZATION, n_trials, seed)
    exact = hasattr(scorer, "bootstrap_score")
    observed = abs(base - cand)
    # Vectorised scores decide every trial whose difference is clearly above or below the
    # observed one; the few within rounding distance of it are scored again by the exact
    # scalar path, so the count (and the p-value) is the exact path's, at a fraction of
    # its cost.
    margin = _NEAR * max(1.0, observed)
    diffs = []
    for mask in iter_swap_masks(len(a), n_trials, seed):
        keep = mask.astype(np.float64)
        swap = 1.0 - keep
        shuf_a = keep @ a + swap @ b
        shuf_b = swap @ a + keep @ b
        with np.errstate(all="ignore"):
            sa = np.asarray(scorer.scores_from_totals(shuf_a), dtype=np.float64)
            sb = np.asarray(scorer.scores_from_totals(shuf_b), dtype=np.float64)
        d = np.abs(sa - sb)
        if exact:
            # Equal totals score equally by either path: only differing ones are redone.
            near = ~(np.abs(d - observed) > margin) & (shuf_a != shuf_b).any(axis=1)
            for i in np.flatnonzero(near):
                d[i] = abs(
                    scorer.score_from_totals(shuf_a[i]) - scorer.score_from_totals(shuf_b[i])
                )
        diffs.append(d)
    p = _p_value(np.concatenate(diffs), observed)
    return PairedResult(base, cand, cand - base, None, p, RANDOMIZATION, n_trials, seed)


def paired_test(
    method: str,
    scorer: Scorer,
    baseline_stats: Any,
    candidate_stats: Any,
    *,
    n_samples: int | None = None,
    seed: int = DEFAULT_SEED,
) -> PairedResult:
    """:func:`paired_bootstrap` (``bs``) or :func:`paired_ar` (``ar``).

    Args:
        n_samples: Resamples or trials; None for sacrebleu's default of the method.
    """
    n = DEFAULT_SAMPLES[check_method(method)] if n_samples is None else n_samples
    if method == BOOTSTRAP:
        return paired_bootstrap(scorer, baseline_stats, candidate_stats, n_resamples=n, seed=seed)
    return paired_ar(scorer, baseline_stats, candidate_stats, n_trials=n, seed=seed)

"""Bootstrap statistics: deterministic for a seed, bounded in memory, sacrebleu's draws."""

from __future__ import annotations

import numpy as np
import pytest

from evalkit.intervals import score_with_ci
from evalkit.paired import paired_bootstrap
from evalkit.resample import (
    iter_resample_counts,
    percentile_ci,
    resample_counts,
    resampled_totals,
    resampled_totals_many,
)
from evalkit.scorers import get_scorer


def test_resample_counts_are_sacrebleus_draws():
    """sacrebleu draws ``rng.choice(n, size=(R, n))`` from ``default_rng(seed)``."""
    n, r, seed = 37, 50, 12345
    idx = np.random.default_rng(seed).choice(n, size=(r, n), replace=True)
    expected = np.stack([np.bincount(row, minlength=n) for row in idx]).astype(float)
    assert (resample_counts(n, r, seed) == expected).all()
    assert (resample_counts(n, r, seed).sum(axis=1) == n).all()


@pytest.mark.parametrize("max_cells", [1, 100, 10_000])
def test_blocks_are_bounded_and_concatenate_to_the_whole(max_cells):
    n, r = 250, 40
    blocks = list(iter_resample_counts(n, r, 7, max_cells=max_cells))
    assert all(b.size <= max(max_cells, n) for b in blocks)
    assert (np.concatenate(blocks) == resample_counts(n, r, 7)).all()


def test_resampled_totals_many_shares_resamples():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 9, (300, 3)).astype(float), rng.random((300, 5))
    ta, tb = resampled_totals_many([a, b], n_resamples=64, seed=3)
    counts = resample_counts(300, 64, 3)
    assert (ta == resampled_totals(a, counts)).all()
    np.testing.assert_allclose(tb, resampled_totals(b, counts), rtol=1e-12)
    with pytest.raises(ValueError):
        resampled_totals_many([a, b[:10]], n_resamples=4, seed=1)


def test_large_input_stays_in_bounded_blocks():
    """100,000 segments: no block exceeds 2**20 cells (8 MB of counts), whatever R is."""
    sizes = [
        b.shape for _, b in zip(range(3), iter_resample_counts(100_000, 1000, 1), strict=False)
    ]
    assert all(rows * cols <= 2**20 for rows, cols in sizes)


@pytest.fixture(scope="module")
def bleu_stats():
    scorer = get_scorer("bleu", lang="en")
    rng = np.random.default_rng(5)
    vocab = [f"w{i}" for i in range(30)]
    refs = [" ".join(rng.choice(vocab, 12)) for _ in range(80)]
    hyps = [" ".join(w if rng.random() > 0.3 else "x" for w in r.split()) for r in refs]
    return scorer, scorer.segment_stats(hyps=hyps, refs=refs)


def test_ci_is_deterministic_for_a_seed_and_contains_the_point(bleu_stats):
    scorer, stats = bleu_stats
    a = score_with_ci(scorer, stats, n_resamples=200, seed=11)
    b = score_with_ci(scorer, stats, n_resamples=200, seed=11)
    c = score_with_ci(scorer, stats, n_resamples=200, seed=12)
    assert a == b
    assert a.ci95 != c.ci95
    assert a.ci95[0] <= a.score <= a.ci95[1]
    assert a.ci95[0] < a.ci95[1]
    assert a.signature.endswith("|ci:bootstrap-200|seed:11")
    assert score_with_ci(scorer, stats, n_resamples=0).ci95 is None


def test_percentile_ci_widens_to_contain_the_point():
    assert percentile_ci(np.linspace(1, 2, 101), 0.5) == (0.5, pytest.approx(1.975))


def test_paired_bootstrap(bleu_stats):
    scorer, stats = bleu_stats
    same = paired_bootstrap(scorer, stats, stats, n_resamples=100, seed=1)
    # sacrebleu's statistic counts strictly greater differences: identical systems get
    # the smallest p-value, 1 / (R + 1); "significant" needs a change besides (the gate).
    assert same.delta == 0 and same.p_value == 1 / 101
    worse = stats.copy()
    worse[:, 2:6] = np.floor(worse[:, 2:6] / 2)
    res = paired_bootstrap(scorer, worse, stats, n_resamples=200, seed=1)
    assert res.delta > 0 and res.p_value < 0.05
    assert res.ci95[0] <= res.delta <= res.ci95[1]
    assert res == paired_bootstrap(scorer, worse, stats, n_resamples=200, seed=1)

"""Paired tests equal sacrebleu's: p-values, bootstrap means and intervals, to the last digit.

The reference is sacrebleu itself: ``sacrebleu.significance.PairedTest`` (what
``sacrebleu --paired-bs`` / ``--paired-ar`` run) on generated multi-system data.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest

from evalkit.errors import ConfigError
from evalkit.paired import estimate_ci, paired_ar, paired_bootstrap, paired_test
from evalkit.resample import iter_resample_indices, iter_swap_masks
from evalkit.scorers import get_scorer

VOCAB = [f"w{i}" for i in range(50)] + ["the", "a", "of", "model", "attention"]
#: sacrebleu metric (its result name) -> evalkit scorer name.
METRICS = {"BLEU": ("bleu", BLEU), "chrF2": ("chrf", CHRF), "TER": ("ter", TER)}


def _corpus(seed: int, n: int) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """References and four systems: a baseline, a close one, a worse one, a copy."""
    rng = random.Random(seed)
    refs = [" ".join(rng.choice(VOCAB) for _ in range(rng.randint(1, 25))) for _ in range(n)]

    def system(rate: float, salt: int) -> list[str]:
        r = random.Random(f"{seed}-{salt}")
        out = []
        for ref in refs:
            words = [w if r.random() > rate else r.choice(VOCAB) for w in ref.split()]
            if r.random() < 0.2:
                words = words[: r.randint(0, len(words))]
            if r.random() < 0.1:
                words = words + words[-2:]  # natural repetition
            out.append(" ".join(words))
        return out

    base = system(0.3, 1)
    return refs, [
        ("base", base),
        ("close", system(0.29, 2)),
        ("worse", system(0.45, 3)),
        ("copy", list(base)),
    ]


def _reference(test: str, refs: list[str], systems: list, n: int | None = None) -> dict:
    metrics = {name: cls() for name, (_, cls) in METRICS.items()}
    _, scores = PairedTest(systems, metrics, references=[refs], test_type=test, n_samples=n or 0)()
    return scores


@pytest.mark.parametrize("seed,n", [(1, 120), (2, 331)])
def test_paired_bootstrap_equals_sacrebleu(seed: int, n: int) -> None:
    refs, systems = _corpus(seed, n)
    expected = _reference("bs", refs, systems)
    for name, (metric, _) in METRICS.items():
        scorer = get_scorer(metric, lang="en")
        base = scorer.segment_stats(hyps=systems[0][1], refs=refs)
        b0 = expected[name][0]
        for k in range(1, len(systems)):
            got = paired_bootstrap(
                scorer, base, scorer.segment_stats(hyps=systems[k][1], refs=refs)
            )
            want = expected[name][k]
            assert got.candidate == want.score, (name, k)
            assert got.p_value == want.p_value, (name, k)
            assert got.candidate_mean == want.mean, (name, k)
            assert got.candidate_ci == want.ci, (name, k)
            assert (got.baseline, got.baseline_mean, got.baseline_ci) == (b0.score, b0.mean, b0.ci)
            assert got.test == "paired-bs-1000|seed:12345"


def test_paired_ar_equals_sacrebleu() -> None:
    refs, systems = _corpus(3, 150)
    expected = _reference("ar", refs, systems)
    for name, (metric, _) in METRICS.items():
        scorer = get_scorer(metric, lang="en")
        base = scorer.segment_stats(hyps=systems[0][1], refs=refs)
        for k in range(1, len(systems)):
            got = paired_ar(scorer, base, scorer.segment_stats(hyps=systems[k][1], refs=refs))
            assert (got.candidate, got.p_value) == (
                expected[name][k].score,
                expected[name][k].p_value,
            ), (name, k)
            assert got.n_samples == 10000 and got.ci95 is None


def test_non_default_sample_counts_equal_sacrebleu() -> None:
    refs, systems = _corpus(4, 90)
    systems = systems[:3]
    for test, n in (("bs", 333), ("ar", 777)):
        expected = _reference(test, refs, systems, n)
        scorer = get_scorer("bleu", lang="en")
        base = scorer.segment_stats(hyps=systems[0][1], refs=refs)
        for k in (1, 2):
            got = paired_test(
                test, scorer, base, scorer.segment_stats(hyps=systems[k][1], refs=refs), n_samples=n
            )
            assert got.p_value == expected["BLEU"][k].p_value
            assert got.n_samples == n


def test_p_value_counts_sacrebleus_statistic_not_the_centred_delta() -> None:
    """``|D*| - mean|D*| > |d|``: a close system is far from significant."""
    refs, systems = _corpus(5, 200)
    scorer = get_scorer("bleu", lang="en")
    a = scorer.segment_stats(hyps=systems[0][1], refs=refs)
    b = scorer.segment_stats(hyps=systems[1][1], refs=refs)
    res = paired_bootstrap(scorer, a, b, n_resamples=200, seed=9)
    assert res.ci95 is not None and res.ci95[0] <= res.delta <= res.ci95[1]
    from evalkit.paired import _bootstrap_scores

    sa, sb = _bootstrap_scores(scorer, [a, b], 200, 9)
    diffs = np.abs(sb - sa)
    count = int(np.sum(diffs - diffs.mean() > abs(res.delta)))
    assert res.p_value == (count + 1) / 201


def test_identical_systems_get_sacrebleus_minimum_p() -> None:
    scorer = get_scorer("chrf", lang="en")
    refs, systems = _corpus(6, 40)
    a = scorer.segment_stats(hyps=systems[0][1], refs=refs)
    assert paired_bootstrap(scorer, a, a, n_resamples=100).p_value == 1 / 101
    assert paired_ar(scorer, a, a, n_trials=100).p_value == 1 / 101


def test_estimate_ci_is_sacrebleus() -> None:
    from sacrebleu.significance import estimate_ci as sb_estimate

    scores = np.random.default_rng(1).random(1000) * 50
    assert estimate_ci(scores) == tuple(float(x) for x in sb_estimate(scores))


def test_bad_method_and_seed_are_one_line_errors() -> None:
    scorer = get_scorer("bleu", lang="en")
    a = np.ones((3, 10))
    with pytest.raises(ConfigError, match="unknown paired test 'xx'"):
        paired_test("xx", scorer, a, a)
    with pytest.raises(ConfigError, match="seed -1"):
        paired_bootstrap(scorer, a, a, seed=-1)
    with pytest.raises(ConfigError, match="seed 'x'"):
        paired_ar(scorer, a, a, seed="x")  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 70),
    trials=st.integers(1, 130),
    cells=st.integers(1, 600),
    seed=st.integers(0, 2**32),
)
def test_blocked_draws_equal_one_draw(n: int, trials: int, cells: int, seed: int) -> None:
    """Whatever the block size, the draws are sacrebleu's single-call draws."""
    masks = np.concatenate(list(iter_swap_masks(n, trials, seed, max_cells=cells)))
    want = np.random.default_rng(seed).integers(2, size=(trials, n), dtype=bool)
    assert (masks == want).all()
    idx = np.concatenate(list(iter_resample_indices(n, trials, seed, max_cells=cells)))
    assert (idx == np.random.default_rng(seed).choice(n, size=(trials, n), replace=True)).all()

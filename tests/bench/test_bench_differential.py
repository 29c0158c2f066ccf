"""Fast paths the benchmarks time, against plain reference computations on generated input.

Complements ``tests/scorers/test_scorer_differential.py`` (English n-gram counting, LCS,
vectorised formulas): here Korean and Japanese through MeCab, the chunked bootstrap,
slice sums and shared references for several systems.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.scorers import get_scorer

KO = [
    "모델",
    "의",
    "성능",
    "을",
    "향상",
    "시키",
    "는",
    "대규모",
    "언어",
    "학습",
    "데이터",
    "GPT-4",
    ".",
    ",",
]
JA = [
    "モデル",
    "の",
    "性能",
    "を",
    "向上",
    "させる",
    "大規模",
    "言語",
    "学習",
    "データ",
    "。",
    "、",
]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def text(words, sep):
    return st.lists(st.sampled_from(words), min_size=0, max_size=30).map(sep.join)


@cache
def sacrebleu_bleu(tokenize: str):
    """One sacrebleu BLEU per tokenizer: each builds a MeCab tokenizer that is never freed."""
    from sacrebleu.metrics import BLEU

    return BLEU(tokenize=tokenize)


ko_pairs = st.lists(st.tuples(text(KO, " "), text(KO, " ")), min_size=1, max_size=6)
ja_pairs = st.lists(st.tuples(text(JA, ""), text(JA, "")), min_size=1, max_size=6)


@SETTINGS
@given(st.one_of(ko_pairs.map(lambda p: ("ko", p)), ja_pairs.map(lambda p: ("ja", p))))
def test_cjk_bleu_and_chrf_statistics_equal_sacrebleu(case):
    from sacrebleu.metrics import CHRF

    lang, pairs = case
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    bleu = sacrebleu_bleu(f"{lang}-mecab")
    for name, metric in (("bleu", bleu), ("chrf", CHRF())):
        want = np.array(metric._extract_corpus_statistics(hyps, [refs]), dtype=float)
        scorer = get_scorer(name, lang=lang)
        got = scorer.segment_stats(hyps=hyps, refs=scorer.prepare(refs))
        assert (got == want).all()
        assert scorer.score_from_totals(got.sum(0)) == metric.corpus_score(hyps, [refs]).score


@SETTINGS
@given(st.one_of(ko_pairs.map(lambda p: ("ko", p)), ja_pairs.map(lambda p: ("ja", p))))
def test_cjk_rouge_equals_rouge_score_on_the_same_tokens(case):
    from rouge_score import rouge_scorer

    from evalkit.scorers.rouge_tokens import get_rouge_tokenizer

    lang, pairs = case
    tok = get_rouge_tokenizer(f"{lang}-mecab")

    class Tokens:
        def tokenize(self, s):
            return list(tok.tokens(s))

    types = ["rouge1", "rouge2", "rougeL"]
    ref_scorer = rouge_scorer.RougeScorer(types, tokenizer=Tokens())
    want = [ref_scorer.score(r, h) for h, r in pairs]  # rouge-score: (target, prediction)
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    for t in types:
        got = get_scorer(t, lang=lang).segment_stats(hyps=hyps, refs=refs)
        expected = np.array([[w[t].precision, w[t].recall, w[t].fmeasure] for w in want])
        np.testing.assert_allclose(got[:, :3], expected, rtol=0, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 60),
    st.integers(1, 5),
    st.integers(1, 30),
    st.integers(0, 2**32),
    st.sampled_from([1, 7, 64, 2**20]),
)
def test_chunked_bootstrap_equals_resampling_segment_by_segment(n, k, r, seed, max_cells):
    """Blocks of resample counts times statistics == summing the drawn segments one by one."""
    from evalkit import resample

    data = np.random.default_rng(seed).integers(0, 50, (n, k)).astype(float)
    idx = np.random.default_rng(seed).integers(0, n, size=(r, n))
    naive = np.stack([data[row].sum(axis=0) for row in idx])
    blocks = list(resample.iter_resample_counts(n, r, seed, max_cells=max_cells))
    (got,) = resample.resampled_totals_many([data], n_resamples=r, seed=seed, max_cells=max_cells)
    assert (np.concatenate(blocks) @ data == naive).all()
    assert (got == naive).all()


WORDS = ["the", "model", "scales", "attention", "data", "is", "all", "you", "need", ".", "GPT-4"]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2024-W01", "2024-W02", "2024-W03"]),
            st.sampled_from(["title", "abstract"]),
            text(WORDS, " "),
            text(WORDS, " "),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_slice_scores_equal_sacrebleu_on_each_slice(rows):
    """Summing statistics per slice gives sacrebleu's corpus score of the slice's texts."""
    from sacrebleu.metrics import BLEU, CHRF

    from evalkit.records import Segment
    from evalkit.slices import group_by_slice, score_slices

    metrics = {"bleu": BLEU(), "chrf": CHRF()}
    segments = []
    for i, (week, field, hyp, ref) in enumerate(rows):
        stats = {
            m: tuple(
                float(x) for x in get_scorer(m, lang="en").segment_stats(hyps=[hyp], refs=[ref])[0]
            )
            for m in metrics
        }
        segments.append(
            Segment(
                str(i), "p", week, "translation", field, "ko", "en", "src", ref, hyp, stats=stats
            )
        )
    scores = score_slices(segments, list(metrics), n_resamples=20, seed=1)
    by_key = {(s.week, s.field, s.metric): s for s in scores}
    for key, idx in group_by_slice(segments).items():
        hyps = [segments[i].output for i in idx]
        refs = [segments[i].reference for i in idx]
        for m, metric in metrics.items():
            got = by_key[(key[0], key[3], m)]
            assert got.score == metric.corpus_score(hyps, [refs]).score
            assert got.n == len(idx)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_several_systems_score_as_each_alone(lang):
    """References prepared once for K systems change no number of any system."""
    from evalkit.scorers.corpus import score_systems

    rng = np.random.default_rng(3)
    words = KO if lang == "ko" else WORDS
    refs = [" ".join(rng.choice(words, rng.integers(3, 20))) for _ in range(40)]
    systems = {
        f"s{k}": [" ".join(w for w in r.split() if rng.random() > 0.1 * k) for r in refs]
        for k in range(1, 4)
    }
    metrics = ["bleu", "chrf", "ter", "rougeL"]
    together = score_systems(refs, systems, lang=lang, metrics=metrics, n_resamples=50)
    for name, hyps in systems.items():
        alone = score_systems(refs, {name: hyps}, lang=lang, metrics=metrics, n_resamples=50)
        assert together["systems"][name] == alone["systems"][name]

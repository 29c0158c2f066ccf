"""Fast paths against the reference implementations on generated inputs (hypothesis).

evalkit counts n-grams, runs LCS in rapidfuzz and vectorises score formulas; each of
these must give exactly what sacrebleu and rouge-score give.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.scorers import get_scorer

WORDS = [
    "the",
    "model",
    "models",
    "modeling",
    "attention",
    "Attention",
    "is",
    "all",
    "you",
    "need",
    "a",
    "an",
    "of",
    "scaling",
    "scaled",
    ",",
    ".",
    "(",
    ")",
    "GPT-4",
    "don't",
    "1.5",
    "x's",
    "모델",
    "성능",
    "향상",
    "の",
    "学習",
    "é",
    "Ünïcode",
    "running",
    "runs",
]

words = st.lists(st.sampled_from(WORDS), min_size=0, max_size=25)
texts = words.map(" ".join)
multiline = st.lists(words.map(" ".join), min_size=1, max_size=4).map("\n".join)
pairs = st.lists(st.tuples(texts, texts), min_size=1, max_size=8)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _split(p):
    return [h for h, _ in p], [r for _, r in p]


@SETTINGS
@given(pairs)
def test_bleu_stats_equal_sacrebleu(p):
    from sacrebleu.metrics import BLEU

    hyps, refs = _split(p)
    expected = np.array(BLEU(tokenize="13a")._extract_corpus_statistics(hyps, [refs]), dtype=float)
    scorer = get_scorer("bleu", lang="en")
    got = scorer.segment_stats(hyps=hyps, refs=refs)
    assert (got == expected).all()
    assert (
        scorer.score_from_totals(got.sum(0))
        == BLEU(tokenize="13a").corpus_score(hyps, [refs]).score
    )


@SETTINGS
@given(pairs, st.sampled_from([0, 2]))
def test_chrf_stats_equal_sacrebleu(p, word_order):
    from sacrebleu.metrics import CHRF

    hyps, refs = _split(p)
    ref_metric = CHRF(word_order=word_order)
    expected = np.array(ref_metric._extract_corpus_statistics(hyps, [refs]), dtype=float)
    scorer = get_scorer("chrf++" if word_order else "chrf", lang="en")
    got = scorer.segment_stats(hyps=hyps, refs=refs)
    assert (got == expected).all()
    assert scorer.score_from_totals(got.sum(0)) == ref_metric.corpus_score(hyps, [refs]).score
    assert scorer.scores_from_totals(got.sum(0)[None])[0] == scorer.score_from_totals(got.sum(0))
    assert list(scorer.segment_scores(got)) == [
        ref_metric.sentence_score(h, [r]).score for h, r in p
    ]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(words.map(lambda w: " ".join(w[:12])), words.map(lambda w: " ".join(w[:12]))),
        min_size=1,
        max_size=5,
    )
)
def test_ter_stats_equal_sacrebleu(p):
    from sacrebleu.metrics import TER

    hyps, refs = _split(p)
    expected = np.array(TER()._extract_corpus_statistics(hyps, [refs]), dtype=float)
    scorer = get_scorer("ter", lang="en")
    got = scorer.segment_stats(hyps=hyps, refs=refs)
    assert (got[:, :2] == expected).all() and not got[:, 2].any()
    assert scorer.score_from_totals(got.sum(0)) == TER().corpus_score(hyps, [refs]).score


@SETTINGS
@given(
    st.lists(st.integers(0, 40), min_size=14, max_size=14).map(lambda v: np.array(v, dtype=float)),
    st.sampled_from(["exp", "floor", "add-k", "none"]),
)
def test_bleu_vectorised_equals_scalar(totals, smooth):
    totals[2:6] = np.minimum(totals[2:6], totals[6:10])  # correct <= total
    scorer = get_scorer("bleu", lang="en", smooth_method=smooth)
    t = totals[:10]
    vec = scorer.scores_from_totals(t[None])[0]
    assert vec == pytest.approx(scorer.score_from_totals(t), rel=1e-12, abs=1e-12)


@SETTINGS
@given(st.lists(st.tuples(texts, multiline), min_size=1, max_size=6))
def test_english_rouge_equals_rouge_score(p):
    from rouge_score import rouge_scorer

    hyps = [h.replace(" ", "\n", 1) for h, _ in p]
    refs = [r for _, r in p]
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    ref_scorer = rouge_scorer.RougeScorer(types, use_stemmer=True)
    expected = [
        ref_scorer.score(r, h) for h, r in zip(hyps, refs, strict=True)
    ]  # rouge-score: (target, prediction)
    for t in types:
        got = get_scorer(t, lang="en").segment_stats(hyps=hyps, refs=refs)
        want = np.array([[e[t].precision, e[t].recall, e[t].fmeasure] for e in expected])
        np.testing.assert_allclose(got[:, :3], want, rtol=0, atol=1e-9)


def test_cjk_rouge_equals_rouge_score_on_the_same_tokens(segments):
    """Korean and Japanese: rouge-score given evalkit's MeCab tokens scores identically."""
    from rouge_score import rouge_scorer

    from evalkit.scorers.rouge_tokens import get_rouge_tokenizer

    for lang in ("ko", "ja"):
        tok = get_rouge_tokenizer({"ko": "ko-mecab", "ja": "ja-mecab"}[lang])

        class Adapter:
            def __init__(self, tok):
                self.tok = tok

            def tokenize(self, text):
                return list(self.tok.tokens(text))

        hyps = segments[lang]["sysB"]
        refs = segments[lang]["ref"]
        hyps = [h.replace("。", "。\n") for h in hyps]  # some multi-sentence inputs for Lsum
        types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
        ref_scorer = rouge_scorer.RougeScorer(types, tokenizer=Adapter(tok))
        expected = [ref_scorer.score(r, h) for h, r in zip(hyps, refs, strict=True)]
        for t in types:
            got = get_scorer(t, lang=lang).segment_stats(hyps=hyps, refs=refs)
            want = np.array([[e[t].precision, e[t].recall, e[t].fmeasure] for e in expected])
            np.testing.assert_allclose(got[:, :3], want, rtol=0, atol=1e-9)
            assert 0.05 < got[:, 2].mean() < 0.95


id_seqs = st.lists(st.integers(0, 6), max_size=30)


@settings(max_examples=200, deadline=None)
@given(id_seqs, id_seqs)
def test_lcs_equals_rouge_score_tables(a, b):
    from rouge_score import rouge_scorer as rs

    from evalkit.scorers.lcs import lcs_length, lcs_ref_indices

    expected_len = rs._lcs_table(a, b)[-1][-1] if a and b else 0
    assert lcs_length(a, b) == expected_len
    assert lcs_ref_indices(a, b) == rs.lcs_ind(a, b)


@settings(max_examples=150, deadline=None)
@given(st.lists(id_seqs, min_size=1, max_size=4), st.lists(id_seqs, min_size=1, max_size=4))
def test_summary_lcs_equals_rouge_score(refs, cands):
    from rouge_score import rouge_scorer as rs

    from evalkit.scorers.lcs import summary_lcs_hits
    from evalkit.scorers.rouge import prf

    expected = rs._summary_level_lcs(refs, cands)
    m, n = sum(map(len, refs)), sum(map(len, cands))
    if not m or not n:
        assert expected.fmeasure == 0
        return
    p, r, f = prf(summary_lcs_hits(refs, cands), n, m)
    assert (p, r, f) == (expected.precision, expected.recall, expected.fmeasure)


@pytest.mark.parametrize(
    "metric",
    [
        "bleu",
        "chrf",
        "chrf++",
        "ter",
        "rouge1",
        "rouge2",
        "rougeL",
        "rougeLsum",
        "length_ratio",
        "target_script",
    ],
)
def test_prepared_references_give_the_same_stats(segments, metric):
    scorer = get_scorer(metric, lang="ko")
    refs = segments["ko"]["ref"]
    prepared = scorer.prepare(refs)
    for name in ("sysA", "sysB"):
        hyps = segments["ko"][name]
        assert (
            scorer.segment_stats(hyps=hyps, refs=prepared)
            == scorer.segment_stats(hyps=hyps, refs=refs)
        ).all()


def test_process_pool_gives_the_same_stats(segments):
    from evalkit.scorers.batch import compute_stats

    refs = segments["ja"]["ref"]
    systems = [segments["ja"]["sysA"], segments["ja"]["sysB"]]
    metrics = ["bleu", "ter", "rougeL"]
    serial = compute_stats(metrics, lang="ja", refs=refs, systems=systems, jobs=1)
    done: list[int] = []
    pooled = compute_stats(
        metrics,
        lang="ja",
        refs=refs,
        systems=systems,
        jobs=2,
        chunk_size=17,
        progress=done.append,
    )
    # a chunk size given smaller than the pooled one is kept; every chunk reported once
    assert sum(done) == len(refs) and len(done) == -(-len(refs) // 17)
    for m in metrics:
        for a, b in zip(serial[m], pooled[m], strict=True):
            assert a.shape == (len(refs), len(get_scorer(m, lang="ja").stat_names))
            assert (a == b).all()

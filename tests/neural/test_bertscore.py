"""BERTScore on a tiny local BERT, checked against the bert_score package."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from evalkit.errors import ConfigError
from evalkit.scorers.neural.bertscore import BERTScoreScorer

HYPS = [
    "the cat sat on the mat.",
    "a quick brown fox",
    "we show results",
    "x",
    "Attention improves long context performance",
    "the the the the",
    "",
]
REFS = [
    "the cat sat on the mat.",
    "the lazy dog",
    "our results show",
    "the model",
    "attention model for long context",
    "a cat",
    "the model",
]


@pytest.fixture(scope="module")
def scorer(tiny):
    return BERTScoreScorer(lang="en", model=str(tiny["bert"]), layer=2, batch_size=3)


def test_shapes_ranges_and_empty_segments(scorer):
    st = scorer.segment_stats(hyps=HYPS, refs=REFS)
    assert st.shape == (len(HYPS), 4) and st.dtype == np.float64
    assert scorer.stat_names == ("P", "R", "F", "count")
    assert np.all(st[:, 3] == 1.0)
    assert np.all(np.abs(st[:, :3]) <= 1.0 + 1e-6)
    assert np.all(st[-1, :3] == 0.0)  # empty hypothesis
    assert st[1, 2] < 0.99  # different sentences are not a match


def test_identical_texts_score_one(scorer):
    texts = ["the cat sat on the mat.", "Large language model training data", "a"]
    st = scorer.segment_stats(hyps=texts, refs=texts)
    np.testing.assert_allclose(st[:, :3], 1.0, atol=1e-6)


def test_corpus_score_is_the_mean_of_segment_scores(scorer):
    st = scorer.segment_stats(hyps=HYPS, refs=REFS)
    score = scorer.score(hyps=HYPS, refs=REFS, n_resamples=200, seed=7)
    assert score.score == pytest.approx(float(np.mean(scorer.segment_scores(st))), abs=1e-12)
    assert score.components["P"] == pytest.approx(float(st[:, 0].mean()), abs=1e-12)
    assert score.components["R"] == pytest.approx(float(st[:, 1].mean()), abs=1e-12)
    assert score.ci95[0] <= score.score <= score.ci95[1]
    assert score.n == len(HYPS) and "|seed:7" in score.signature


def test_batching_and_repetition_do_not_change_scores(tiny, scorer):
    base = scorer.segment_stats(hyps=HYPS, refs=REFS)
    np.testing.assert_array_equal(base, scorer.segment_stats(hyps=HYPS, refs=REFS))
    for bs in (1, 64):
        other = BERTScoreScorer(lang="en", model=str(tiny["bert"]), layer=2, batch_size=bs)
        np.testing.assert_allclose(other.segment_stats(hyps=HYPS, refs=REFS), base, atol=1e-6)


@pytest.mark.parametrize(("layer", "idf"), [(2, False), (3, True), (1, False)])
def test_equals_the_bert_score_package(tiny, layer, idf):
    bert_score = pytest.importorskip("bert_score")
    hyps, refs = HYPS[:-1], REFS[:-1]  # bert_score fails on empty strings with transformers 5
    ref = bert_score.BERTScorer(
        model_type=str(tiny["bert"]),
        num_layers=layer,
        idf=idf,
        idf_sents=refs if idf else None,
        batch_size=4,
        nthreads=0,
    )
    p, r, f = (t.numpy() for t in ref.score(hyps, refs))
    ours = BERTScoreScorer(lang="en", model=str(tiny["bert"]), layer=layer, idf=idf)
    st = ours.segment_stats(hyps=hyps, refs=refs)
    np.testing.assert_allclose(st[:, 0], p, atol=1e-5)
    np.testing.assert_allclose(st[:, 1], r, atol=1e-5)
    np.testing.assert_allclose(st[:, 2], f, atol=1e-5)


def test_layer_and_idf_change_scores_and_signature(tiny, scorer):
    other = BERTScoreScorer(lang="en", model=str(tiny["bert"]), layer=1, idf=True)
    assert not np.allclose(
        other.segment_stats(hyps=HYPS, refs=REFS), scorer.segment_stats(hyps=HYPS, refs=REFS)
    )
    sig = scorer.signature()
    for part in ("model:bert@fp-", "|layer:2|", "|idf:no|", "|bs:3|", "torch:", "transformers:"):
        assert part in sig
    assert "|idf:yes|" in other.signature() and "|layer:1|" in other.signature()


def test_default_layer_is_the_last_one_for_unknown_models(tiny):
    assert BERTScoreScorer(lang="ko", model=str(tiny["bert"])).layer == 3


def test_rescale_with_a_baseline_file(tiny, scorer, tmp_path):
    base = tmp_path / "baseline.tsv"
    base.write_text("LAYER,P,R,F\n0,0.1,0.1,0.1\n1,0.2,0.2,0.2\n2,0.5,0.4,0.3\n")
    rescaled = BERTScoreScorer(lang="en", model=str(tiny["bert"]), layer=2, baseline_path=str(base))
    raw = scorer.segment_stats(hyps=HYPS, refs=REFS)[:, :3]
    expected = (raw - np.array([0.5, 0.4, 0.3])) / (1 - np.array([0.5, 0.4, 0.3]))
    np.testing.assert_allclose(
        rescaled.segment_stats(hyps=HYPS, refs=REFS)[:, :3], expected, atol=1e-6
    )
    assert "|rescale:yes|" in rescaled.signature()


def test_no_baseline_for_korean_is_a_one_line_error(tiny):
    pytest.importorskip("bert_score")
    with pytest.raises(ConfigError, match="no baseline for language 'ko'"):
        BERTScoreScorer(lang="ko", model=str(tiny["bert"]), rescale_with_baseline=True)


def test_missing_model_and_bad_options_are_one_line_errors(tmp_path, tiny):
    with pytest.raises(ConfigError) as err:
        BERTScoreScorer(lang="en", model=str(tmp_path / "absent-model"))
    assert "absent-model" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(ConfigError, match="unknown option"):
        BERTScoreScorer(lang="en", model=str(tiny["bert"]), layers=3)
    with pytest.raises(ConfigError, match="out of range"):
        BERTScoreScorer(lang="en", model=str(tiny["bert"]), layer=9)
    with pytest.raises(ConfigError, match="hypotheses"):
        BERTScoreScorer(lang="en", model=str(tiny["bert"])).segment_stats(hyps=["a"], refs=[])

"""Korean and Japanese ROUGE count MeCab morphemes (rouge-score's default gets these wrong)."""

from __future__ import annotations

import pytest

from evalkit.scorers import get_scorer

ROUGES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
KO = "트랜스포머 아키텍처는 긴 시퀀스를 여러 장치에 분산하여 메모리 한계를 극복합니다."
JA = "自己注意の最適化幾何がハードマージンSVM問題と関連していることを発見しました。"


def _f(metric: str, lang: str, hyp: str, ref: str) -> float:
    scorer = get_scorer(metric, lang=lang)
    return float(scorer.segment_scores(scorer.segment_stats(hyps=[hyp], refs=[ref]))[0])


@pytest.mark.parametrize("metric", ROUGES)
@pytest.mark.parametrize(("lang", "text"), [("ko", KO), ("ja", JA)])
def test_identical_texts_score_one(metric, lang, text):
    assert _f(metric, lang, text, text) == 1.0


@pytest.mark.parametrize("metric", ROUGES)
def test_one_changed_word_scores_well_below_one(metric):
    from rouge_score import rouge_scorer

    hyp, ref = "GPT-4 모델 성능 향상", "GPT-4 모델 성능 저하"
    # rouge-score's own tokenizer sees only "gpt 4" on both sides and says 1.0.
    assert rouge_scorer.RougeScorer([metric]).score(ref, hyp)[metric].fmeasure == 1.0
    assert _f(metric, "ko", hyp, ref) < 0.85


@pytest.mark.parametrize("metric", ROUGES)
def test_korean_and_japanese_without_shared_words_score_near_zero(metric):
    assert _f(metric, "ko", KO, JA) < 0.05
    assert _f(metric, "ja", JA, KO) < 0.05


def test_tokens_are_morphemes_lowercased_without_punctuation():
    from evalkit.scorers.rouge_tokens import get_rouge_tokenizer

    tokens = get_rouge_tokenizer("ko-mecab").tokens("GPT-4 모델의 성능이 향상되었다.")
    assert (
        tokens[:2] == ("gpt", "4") and "모델" in tokens and "." not in tokens and "-" not in tokens
    )
    assert "rougeL|tok:ko-mecab-" in get_scorer("rougeL", lang="ko").signature()
    assert "tok:rouge-score|stem:porter" in get_scorer("rougeL", lang="en").signature()


def test_corpus_score_is_mean_f_with_components():
    scorer = get_scorer("rouge1", lang="ko")
    stats = scorer.segment_stats(
        hyps=[KO, "GPT-4 모델 성능 향상"], refs=[KO, "GPT-4 모델 성능 저하"]
    )
    totals = stats.sum(0)
    assert scorer.score_from_totals(totals) == pytest.approx((1.0 + 0.8) / 2)
    comps = scorer.components(totals)
    assert set(comps) == {"precision", "recall", "fmeasure"}
    assert comps["fmeasure"] == pytest.approx(0.9)

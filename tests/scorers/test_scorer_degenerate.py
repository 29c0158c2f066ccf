"""Output flags, and TER: equal to sacrebleu on natural repetition, bounded only past it."""

from __future__ import annotations

import random

import numpy as np
import pytest

from evalkit.scorers import get_scorer
from evalkit.scorers.degenerate import (
    TER_BOUND_MIN_WORDS,
    TER_BOUND_RATIO,
    flags,
    output_flags,
    repeated_share,
    ter_search_bounded,
)

REF = (
    "Ring Attention leverages blockwise computation of self-attention to distribute long "
    "sequences across multiple devices while overlapping the communication of key-value blocks "
    "with the computation of blockwise attention, enabling training and inference of sequences "
    "that are device count times longer than prior memory-efficient Transformers."
)
FBK_673 = (
    "Bei den Olympischen Spielen 2012 in London gewann sie Gold in der 4x200m Freestyle "
    "Freestyle Freestyle Staffel und Silber über 200 m Freistil."
)


def test_flags():
    assert flags("", REF) == ["empty_output"]
    assert flags("   ", "") == ["empty_output"]
    assert flags(REF, REF) == []
    assert flags(REF + " " + REF, REF) == ["loop"]
    assert flags("the " * 200, "the cat") == ["too_long", "loop"]
    assert flags("모델 " * 100, "모델 성능이 좋다") == ["too_long", "loop"]
    assert flags("のの" * 100, "これはテストです。") == ["too_long", "loop"]
    assert flags(" ".join(REF.split()[::-1]), REF) == []  # reordered, not degenerate
    assert flags(FBK_673, FBK_673) == []  # natural repetition is not a loop


@pytest.mark.parametrize("blank", [" \t\n\u3000\u200b ", "\u200b", "\ufeff\u2060", "\n\n"])
def test_whitespace_only_outputs_are_empty(blank):
    assert output_flags(blank) == ["empty_output"]
    assert output_flags(blank, reference=REF, source=REF) == ["empty_output"]


def test_copy_of_source_and_the_segments_delegate():
    from evalkit.dataset import Example
    from evalkit.segments import flags_for

    assert output_flags(f"  {REF} ", source=REF) == ["copy_of_source"]
    ex = Example(
        "p/title/en-ko", "p", "2023-W41", "translation", "title", "en", "ko", "a b c", "가"
    )
    assert flags_for(ex, " \u200b ") == ["empty_output"]
    assert flags_for(ex, "a  b c") == ["copy_of_source"]


def test_no_digest_text_is_flagged(segments):
    for lang, systems in segments.items():
        for name in ("ref", "sysA"):
            assert not any(
                flags(h, r) for h, r in zip(systems[name], systems["ref"], strict=True)
            ), (lang, name)
    assert repeated_share(REF) == 0.0


# -- natural repetition: generated MT-like outputs ---------------------------------------

_EN = [
    "the model", "attention", "layers", "training data", "results", "we propose",
    "Freestyle", "very", "and", "of the", "in", "long context", "tokens",
]  # fmt: skip
_KO = ["모델", "의", "성능", "이", "매우", "학습", "데이터", "를", "그리고", "결과", "는", "긴"]
_JA = [
    "モデル",
    "の",
    "性能",
    "が",
    "とても",
    "学習",
    "データ",
    "を",
    "そして",
    "結果",
    "は",
    "長い",
]


def _natural(rng: random.Random, vocab: list[str], joiner: str) -> tuple[str, str]:
    """A reference and an MT-like output with natural repetition: a repeated word
    (``Freestyle Freestyle Freestyle``), a repeated phrase, a list, numbers."""
    ref = [rng.choice(vocab) for _ in range(rng.randint(5, 40))]
    hyp = list(ref)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(5)
        i = rng.randrange(len(hyp) + 1)
        if kind == 0:  # a word stutters
            w = rng.choice(vocab)
            hyp[i:i] = [w] * rng.randint(2, 4)
        elif kind == 1:  # a phrase twice
            a = rng.randrange(len(ref))
            phrase = ref[a : a + rng.randint(2, 5)]
            hyp[i:i] = phrase + phrase
        elif kind == 2:  # a list
            hyp[i:i] = [f"{rng.choice(vocab)}," for _ in range(rng.randint(3, 6))]
        elif kind == 3:  # numbers, some repeated
            n = str(rng.randint(1, 400))
            hyp[i:i] = [n, "x", n, "m", n]
        else:  # a word dropped and words swapped
            if len(hyp) > 3:
                del hyp[rng.randrange(len(hyp))]
                j = rng.randrange(len(hyp) - 1)
                hyp[j], hyp[j + 1] = hyp[j + 1], hyp[j]
    return joiner.join(ref), joiner.join(hyp)


def _natural_corpus(lang: str, n: int = 60) -> tuple[list[str], list[str]]:
    rng = random.Random(f"natural-{lang}")
    vocab, joiner = {"en": (_EN, " "), "ko": (_KO, " "), "ja": (_JA, "")}[lang]
    pairs = [_natural(rng, vocab, joiner) for _ in range(n)]
    pairs.append((FBK_673.replace("Freestyle Freestyle Freestyle", "Freistil"), FBK_673))
    return [r for r, _ in pairs], [h for _, h in pairs]


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_ter_equals_sacrebleu_on_every_segment_of_natural_repetition(lang):
    """sacrebleu's TER on the words evalkit aligns (MeCab morphemes for ko/ja), segment
    by segment: no segment is bounded, no flag is raised, the signature is plain."""
    from sacrebleu.metrics.lib_ter import translation_edit_rate

    refs, hyps = _natural_corpus(lang)
    scorer = get_scorer("ter", lang=lang)
    stats = scorer.segment_stats(hyps=hyps, refs=refs)
    for i, (h, r) in enumerate(zip(hyps, refs, strict=True)):
        edits, ref_len = translation_edit_rate(scorer.words(h), scorer.words(r))
        assert (stats[i, 0], stats[i, 1], stats[i, 2]) == (edits, ref_len, 0), (i, h, r)
        assert "loop" not in flags(h, r)
    assert "bound" not in scorer.signature_for(stats.sum(0))


def test_ter_equals_sacrebleu_cli_on_natural_repetition(tmp_path):
    """The English corpus through ``evalkit score`` and ``sacrebleu -m ter``."""
    from helpers import run_cli
    from test_scorer_sacrebleu_cli import WIDTH, sacrebleu_cli

    refs, hyps = _natural_corpus("en")
    (tmp_path / "ref.txt").write_text("".join(r + "\n" for r in refs), encoding="utf-8")
    (tmp_path / "hyp.txt").write_text("".join(h + "\n" for h in hyps), encoding="utf-8")
    (expected,) = sacrebleu_cli(tmp_path / "ref.txt", tmp_path / "hyp.txt", "-m", "ter")
    proc = run_cli(
        "score", "-r", str(tmp_path / "ref.txt"), "-i", str(tmp_path / "hyp.txt"),
        "-l", "en", "-m", "ter", "--n-resamples", "0", "--format", "json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    import json

    sys_report = json.loads(proc.stdout)["systems"][str(tmp_path / "hyp.txt")]
    assert f"{sys_report['scores']['ter']['score']:.{WIDTH}f}" == expected
    assert sys_report["degenerate"]["count"] == 0


def test_looping_outputs_get_the_exact_shift_search():
    """A translation printed twice, or a phrase looping 500 times, is searched in full."""
    from sacrebleu.metrics.lib_ter import translation_edit_rate

    scorer = get_scorer("ter", lang="en")
    hyps = [REF + " " + REF, "of the blockwise attention " * 250]
    stats = scorer.segment_stats(hyps=hyps, refs=[REF, REF])
    for i, h in enumerate(hyps):
        assert tuple(stats[i, :2]) == translation_edit_rate(scorer.words(h), scorer.words(REF))
    assert not stats[:, 2].any()


def test_pathological_output_hits_the_bound_and_says_so(monkeypatch):
    """Work is counted, not timed: past the bound no shift candidate is examined, the
    segment is counted and flagged, and the signature names the bound."""
    import sacrebleu.metrics.lib_ter as lib_ter

    examined = {"n": 0}
    original = lib_ter._find_shifted_pairs

    def counting(words_h, words_r):
        for pair in original(words_h, words_r):
            examined["n"] += 1
            yield pair

    monkeypatch.setattr(lib_ter, "_find_shifted_pairs", counting)
    ref = "the cat sat on the mat today"
    n_words = max(TER_BOUND_MIN_WORDS + 1, TER_BOUND_RATIO * 7 + 1)
    looping = " ".join(["the cat sat"] * (n_words // 3 + 1))
    assert ter_search_bounded(len(looping.split()), 7)
    assert not ter_search_bounded(TER_BOUND_MIN_WORDS, 7)
    assert not ter_search_bounded(5000, 300)  # long, but not 20 times the reference
    scorer = get_scorer("ter", lang="en")
    assert scorer.segment_stats(hyps=[looping], refs=[ref])[0, 2] == 1
    assert examined["n"] == 0
    stats = scorer.segment_stats(hyps=[looping, ref], refs=[ref, ref])
    assert list(stats[:, 2]) == [1, 0]
    expected_edits, _ = lib_ter.BeamEditDistance(scorer.words(ref))(scorer.words(looping))
    assert stats[0, 0] == expected_edits
    assert "|bound:noshift-1|" in scorer.signature_for(stats.sum(0))
    assert "bound" not in scorer.signature_for(stats[1:].sum(0))

    full = get_scorer("ter", lang="en", degenerate_shifts=True)
    assert not full.segment_stats(hyps=[looping], refs=[ref])[:, 2].any()


def test_bound_is_a_segment_flag_in_score_output(tmp_path):
    from evalkit.scorers.corpus import score_systems

    ref = "the cat sat on the mat today"
    looping = " ".join(["the cat sat"] * 400)
    report = score_systems(
        [ref, ref], {"s": [looping, ref]}, lang="en", metrics=["ter"], n_resamples=10
    )
    entry = report["systems"]["s"]
    assert entry["degenerate"]["segments"] == [
        {"line": 1, "flags": ["too_long", "loop", "ter_noshift"]}
    ]
    assert "|bound:noshift-1|" in entry["scores"]["ter"]["signature"]
    plain = score_systems([ref], {"s": [ref]}, lang="en", metrics=["ter"], n_resamples=10)
    assert "bound" not in plain["systems"]["s"]["scores"]["ter"]["signature"]


@pytest.mark.parametrize(
    "metric", ["bleu", "chrf", "rougeL", "rougeLsum", "length_ratio", "target_script"]
)
def test_degenerate_outputs_score_without_error(metric):
    scorer = get_scorer(metric, lang="en")
    hyps = ["", "the " * 300, REF + " " + REF]
    stats = scorer.segment_stats(hyps=hyps, refs=[REF] * 3)
    assert stats.shape == (3, len(scorer.stat_names))
    assert len(scorer.segment_scores(stats)) == 3
    assert np.isfinite(stats).all()

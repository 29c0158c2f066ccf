"""Degenerate hypotheses are flagged and cannot stall TER."""

from __future__ import annotations

import pytest

from evalkit.scorers import get_scorer
from evalkit.scorers.degenerate import flags, repeated_share

REF = (
    "Ring Attention leverages blockwise computation of self-attention to distribute long "
    "sequences across multiple devices while overlapping the communication of key-value blocks "
    "with the computation of blockwise attention, enabling training and inference of sequences "
    "that are device count times longer than prior memory-efficient Transformers."
)


def test_flags():
    assert flags("", REF) == ["empty"]
    assert flags("   ", "") == []
    assert flags(REF, REF) == []
    assert flags(REF + " " + REF, REF) == ["loop"]
    assert flags("the " * 200, "the cat") == ["too_long", "loop"]
    assert flags("모델 " * 100, "모델 성능이 좋다") == ["too_long", "loop"]
    assert flags("のの" * 100, "これはテストです。") == ["too_long", "loop"]
    assert flags(" ".join(REF.split()[::-1]), REF) == []  # reordered, not degenerate


def test_no_digest_text_is_flagged(segments):
    for lang, systems in segments.items():
        for name in ("ref", "sysA"):
            assert not any(
                flags(h, r) for h, r in zip(systems[name], systems["ref"], strict=True)
            ), (lang, name)
    assert repeated_share(REF) == 0.0


def test_ter_skips_the_shift_search_for_looping_outputs(monkeypatch):
    """Work is counted, not timed: on a translation printed twice sacrebleu's shift search
    examines hundreds of candidate shifts (thousands, and seconds, on longer texts); evalkit
    examines none for the flagged segment and runs one plain edit distance."""
    import sacrebleu.metrics.lib_ter as lib_ter

    examined = {"n": 0}
    original = lib_ter._find_shifted_pairs

    def counting(words_h, words_r):
        for pair in original(words_h, words_r):
            examined["n"] += 1
            yield pair

    monkeypatch.setattr(lib_ter, "_find_shifted_pairs", counting)
    hyp = REF + " " + REF
    scorer = get_scorer("ter", lang="en")
    stats = scorer.stats(hyps=[hyp], refs=[REF])
    assert examined["n"] == 0
    assert stats[0, 2] == 1 and scorer.components(stats.sum(0))["noshift_segments"] == 1
    assert "degenerate:noshift" in scorer.signature()
    expected_edits, _ = lib_ter.BeamEditDistance(scorer.words(REF))(scorer.words(hyp))
    assert stats[0, 0] == expected_edits

    full = get_scorer("ter", lang="en", degenerate_shifts=True)
    full_stats = full.stats(hyps=[hyp], refs=[REF])
    assert examined["n"] > 500
    assert full_stats[0, 2] == 0 and full_stats[0, 0] <= stats[0, 0]
    assert "degenerate" not in full.signature()


@pytest.mark.parametrize(
    "metric", ["bleu", "chrf", "rougeL", "rougeLsum", "length_ratio", "target_script"]
)
def test_degenerate_outputs_score_without_error(metric):
    scorer = get_scorer(metric, lang="en")
    hyps = ["", "the " * 300, REF + " " + REF]
    stats = scorer.stats(hyps=hyps, refs=[REF] * 3)
    assert stats.shape == (3, len(scorer.stat_names))
    assert len(scorer.segment_scores(stats)) == 3

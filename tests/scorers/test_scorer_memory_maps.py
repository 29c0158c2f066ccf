"""Tokenizers are built once per process: 50,000 Korean segments do not grow the memory maps.

sacrebleu's ``TokenizerKoMecab`` maps the MeCab dictionary files again at every
construction and never unmaps them; a long run that re-creates it dies at the
65,530-map limit. Anonymous maps come and go with the heap (the tokenizers' bounded
caches fill up), so the check counts the file-backed maps, where the leak shows.
"""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/self/maps"
)

OTHERS = ["ter", "rouge1", "rougeL", "length_ratio", "chrf"]


def _maps() -> tuple[int, int]:
    """(all maps, file-backed maps) of this process."""
    with open("/proc/self/maps", encoding="utf-8", errors="replace") as fh:
        lines = fh.read().splitlines()
    files = [ln for ln in lines if len(ln.split()) >= 6 and ln.split()[5].startswith("/")]
    return len(lines), len(files)


def test_50000_korean_segments_do_not_grow_memory_maps(segments):
    from evalkit.scorers import get_scorer
    from evalkit.scorers.tokenizers import get_tokenizer

    words = " ".join(segments["ko"]["ref"]).split()
    n = 50_000
    hyps = [f"{words[i % 997]} {words[(i + 3) % 991]} {i}" for i in range(n)]
    refs = [f"{words[(i + 1) % 997]} {words[(i + 3) % 991]} {i}" for i in range(n)]
    for m in ["bleu", *OTHERS]:  # build every Korean scorer once
        get_scorer(m, lang="ko").segment_stats(hyps=hyps[:10], refs=refs[:10])
    all_before, files_before = _maps()
    matched = 0.0
    for start in range(0, n, 5_000):
        assert get_tokenizer("ko-mecab") is get_tokenizer("ko-mecab")
        bleu = get_scorer("bleu", lang="ko")
        stats = bleu.segment_stats(
            hyps=hyps[start : start + 5_000], refs=refs[start : start + 5_000]
        )
        matched += float(stats[:, 2].sum())
        for m in OTHERS:  # the other scorers, asked for again, share the same tokenizer
            get_scorer(m, lang="ko").segment_stats(
                hyps=hyps[start : start + 100], refs=refs[start : start + 100]
            )
    all_after, files_after = _maps()
    assert matched >= n  # every pair shares a word and its number
    assert files_after == files_before
    assert all_after - all_before < 100, "anonymous maps should only follow bounded heap growth"

    # The check is sensitive: building sacrebleu's tokenizer directly adds file-backed maps.
    from sacrebleu.tokenizers.tokenizer_ko_mecab import TokenizerKoMecab

    kept = [TokenizerKoMecab() for _ in range(3)]
    assert _maps()[1] - files_after >= 6, (
        "constructing MeCab taggers should map the dictionary again"
    )
    assert kept

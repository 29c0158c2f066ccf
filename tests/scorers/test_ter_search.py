"""The batched TER shift search equals sacrebleu's ``translation_edit_rate`` exactly."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import lib_ter
from scorer_data import LANGS, data_path

from evalkit.scorers import get_scorer
from evalkit.scorers.ter_search import translation_edit_rate

# A small vocabulary makes many matching blocks, so many shift candidates.
words = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]), max_size=70)


@settings(max_examples=300, deadline=None)
@given(words, words)
def test_equals_sacrebleu_on_generated_word_lists(hyp, ref):
    assert translation_edit_rate(hyp, ref, min_cells=0) == lib_ter.translation_edit_rate(hyp, ref)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=8),
    st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=60, max_size=140),
)
def test_equals_sacrebleu_when_lengths_differ_widely(hyp, ref):
    """A wide beam (length ratio over 50) and rows whose windows barely overlap."""
    for h, r in ((hyp, ref), (ref, hyp)):
        assert translation_edit_rate(h, r, min_cells=0) == lib_ter.translation_edit_rate(h, r)


def test_empty_sides():
    assert translation_edit_rate([], [], min_cells=0) == (0, 0)
    assert translation_edit_rate(["a", "b"], [], min_cells=0) == (2, 0)
    assert translation_edit_rate([], ["a", "b"], min_cells=0) == (2, 2)


@pytest.mark.parametrize("lang", LANGS)
def test_equals_sacrebleu_on_the_scorer_test_corpora(lang):
    scorer = get_scorer("ter", lang=lang)
    refs = data_path(lang, "ref").read_text(encoding="utf-8").splitlines()
    for system in ("sysA", "sysB"):
        hyps = data_path(lang, system).read_text(encoding="utf-8").splitlines()
        for h, r in zip(hyps, refs, strict=True):
            hw, rw = scorer.words(h), scorer.words(r)
            assert translation_edit_rate(hw, rw, min_cells=0) == (
                lib_ter.translation_edit_rate(hw, rw)
            ), (h, r)


def test_equals_sacrebleu_on_long_perturbed_abstracts():
    """Korean and Japanese abstracts of the bundled digests, words shuffled in blocks:
    the long inputs (hundreds of morphemes, the full 1,000 candidates) the search is for."""
    from evalkit import dataset

    rng = random.Random(7)
    papers = dataset.load()
    checked = 0
    for lang in ("ko", "ja"):
        scorer = get_scorer("ter", lang=lang)
        texts = [t for p in papers if (t := (p.abstract or {}).get(lang))][:3]
        for text in texts:
            ref = scorer.words(text)
            hyp = list(ref)
            for _ in range(6):  # move blocks, drop and duplicate words
                a = rng.randrange(len(hyp))
                block = hyp[a : a + rng.randint(1, 6)]
                del hyp[a : a + len(block)]
                b = rng.randrange(len(hyp) + 1)
                hyp[b:b] = block
                del hyp[rng.randrange(len(hyp))]
                hyp.insert(rng.randrange(len(hyp)), hyp[rng.randrange(len(hyp))])
            got = translation_edit_rate(hyp, ref)
            assert got == lib_ter.translation_edit_rate(hyp, ref)
            assert got[0] > 0
            checked += 1
    assert checked == 6


@settings(max_examples=300, deadline=None)
@given(words, words)
def test_candidate_pairs_equal_sacrebleus_enumeration(hyp, ref):
    from evalkit.scorers.ter_search import _Search

    ids = {w: i for i, w in enumerate(["a", "b", "c", "d", "e", "f", "g", "h"])}
    h, r = [ids[w] for w in hyp], [ids[w] for w in ref]
    assert list(_Search(r, len(h)).shifted_pairs(h)) == list(lib_ter._find_shifted_pairs(h, r))


def test_candidate_pairs_respect_the_shift_distance():
    """Matches more than 50 words apart are not shift candidates (sacrebleu's limit)."""
    from evalkit.scorers.ter_search import _Search

    h = [1] + [0] * 80
    r = [2] * 60 + [1] + [2] * 20
    pairs = list(_Search(r, len(h)).shifted_pairs(h))
    assert pairs == list(lib_ter._find_shifted_pairs(h, r)) == []
    r = [2] * 50 + [1] + [2] * 30
    assert list(_Search(r, len(h)).shifted_pairs(h)) == [(0, 50, 1)]

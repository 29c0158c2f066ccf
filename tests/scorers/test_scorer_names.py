"""Names that say what they are, with the evalkit 0.1 names still working for plugins."""

from __future__ import annotations

import numpy as np
import pytest

from evalkit.scorers import get_scorer
from evalkit.scorers.simple import LengthRatioScorer


class OldPlugin(LengthRatioScorer):
    """A 0.1 plugin: it defines ``stats``, the old name of ``segment_stats``."""

    name = "old-plugin"
    calls = 0

    def stats(self, *, hyps, refs):
        type(self).calls += 1
        return np.array([[len(h), len(r), 1.0] for h, r in zip(hyps, refs, strict=True)])


def test_a_plugin_defining_stats_is_asked_through_segment_stats():
    scorer = OldPlugin(lang="en")
    got = scorer.segment_stats(hyps=["ab"], refs=["abcd"])
    assert got.tolist() == [[2.0, 4.0, 1.0]] and OldPlugin.calls == 1
    assert scorer.score(hyps=["ab"], refs=["abcd"], n_resamples=0).n == 1
    assert OldPlugin.calls == 2


def test_the_old_method_name_calls_the_new_one():
    bleu = get_scorer("bleu", lang="en")
    hyps, refs = ["the cat sat"], ["the cat sat down"]
    assert (bleu.stats(hyps=hyps, refs=refs) == bleu.segment_stats(hyps=hyps, refs=refs)).all()


@pytest.mark.parametrize(
    ("old", "new", "names"),
    [
        ("evalkit.stats", "evalkit.intervals", ["score_with_ci"]),
        ("evalkit.stats", "evalkit.resample", ["check_seed", "resampled_totals_many"]),
        ("evalkit.stats", "evalkit.paired", ["paired_bootstrap", "paired_ar"]),
        ("evalkit.publish.stats", "evalkit.publish.counts", ["compute", "markdown_table"]),
    ],
)
def test_old_module_paths_are_the_same_objects(old, new, names):
    import importlib

    before, after = importlib.import_module(old), importlib.import_module(new)
    for name in names:
        assert getattr(before, name) is getattr(after, name)

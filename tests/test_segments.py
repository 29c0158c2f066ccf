"""Segment statistics of a run: the batch path of ``evalkit score``, the same numbers."""

from __future__ import annotations

import numpy as np
import pytest
from runkit import make_papers

from evalkit import dataset as ds
from evalkit.scorers import get_scorer
from evalkit.scorers.batch import compute_stats
from evalkit.segments import build_segments, flags_for

METRICS = {"translation": ("bleu", "chrf", "ter", "length_ratio")}


def _examples_and_outputs(copies: int = 1):
    examples = ds.build_examples(make_papers(), pairs=["en-ko", "en-ja"])
    outputs = {e.id: e.reference[: max(1, 2 * len(e.reference) // 3)] for e in examples}
    if copies > 1:  # many distinct examples of one language, enough for several chunks
        from dataclasses import replace

        more = [replace(e, id=f"{e.id}#{k}") for k in range(copies) for e in examples]
        outputs = {e.id: outputs[e.id.split("#")[0]] + f" {i}" for i, e in enumerate(more)}
        examples = more
    return examples, outputs


def _serial(examples, outputs, metric, lang):
    """What ``run`` computed before: each scorer on the raw references, in one process."""
    group = [e for e in examples if e.tgt_lang == lang]
    scorer = get_scorer(metric, lang=lang)
    return scorer.segment_stats(
        hyps=[outputs[e.id] for e in group], refs=[e.reference for e in group]
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_statistics_are_the_batch_statistics_and_the_serial_ones(jobs):
    examples, outputs = _examples_and_outputs(copies=25 if jobs > 1 else 1)
    segments, signatures = build_segments(examples, outputs, METRICS, jobs=jobs)
    assert [s.id for s in segments] == [e.id for e in examples]
    for lang in ("ko", "ja"):
        group = [e for e in examples if e.tgt_lang == lang]
        if jobs > 1:
            assert len(group) > 200  # several chunks: the process pool really runs
        batch = compute_stats(
            list(METRICS["translation"]),
            lang=lang,
            refs=[e.reference for e in group],
            systems=[[outputs[e.id] for e in group]],
            jobs=1,
        )
        ours = {s.id: s for s in segments if s.tgt_lang == lang}
        for metric in METRICS["translation"]:
            rows = np.asarray([ours[e.id].stats[metric] for e in group])
            assert np.array_equal(rows, batch[metric][0])
            assert np.array_equal(rows, _serial(examples, outputs, metric, lang))
            assert signatures[metric][lang] == get_scorer(metric, lang=lang).signature()


def test_only_answered_examples_become_segments():
    examples, outputs = _examples_and_outputs()
    kept = {k: v for i, (k, v) in enumerate(outputs.items()) if i % 3}
    segments, _ = build_segments(examples, kept, METRICS)
    assert [s.id for s in segments] == [e.id for e in examples if e.id in kept]


@pytest.mark.parametrize("output", ["", " \t\n", "\u3000\u200b ", "\ufeff\u200d"])
def test_blank_or_invisible_outputs_are_flagged_empty(output):
    (example, *_) = ds.build_examples(make_papers())
    assert flags_for(example, output) == ["empty_output"]
    assert flags_for(example, "x" + output) == []

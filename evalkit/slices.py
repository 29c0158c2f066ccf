"""Scores per slice (week x task x pair x field, plus all weeks) from segment statistics.

Shared by the runner, the reports, baselines and ``evalkit check``: statistics are
computed once per segment and only summed here.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from evalkit.records import ALL_WEEKS, Segment, SliceKey, SliceScore, target_of

__all__ = ["SliceKey", "group_by_slice", "score_slices", "segment_slice_keys", "slice_dict"]


def segment_slice_keys(segment: Segment) -> tuple[SliceKey, SliceKey]:
    """The week slice and the all-weeks slice a segment belongs to."""
    return segment.slice_keys


def group_by_slice(segments: Sequence[Segment]) -> dict[SliceKey, list[int]]:
    """Segment indices per slice, slices in a stable order (weeks sorted, "all" last)."""
    groups: dict[SliceKey, list[int]] = defaultdict(list)
    for i, seg in enumerate(segments):
        for key in seg.slice_keys:
            groups[key].append(i)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0][0] == ALL_WEEKS, kv[0])))


def slice_dict(key: SliceKey) -> dict[str, str]:
    week, task, pair, field = key
    return {"week": week, "task": task, "pair": pair, "field": field}


def score_slices(
    segments: Sequence[Segment],
    metrics: Iterable[str],
    *,
    n_resamples: int = 1000,
    seed: int = 12345,
    scorer_options: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[SliceScore]:
    """Score every slice for every metric from the segments' statistics.

    Args:
        segments: The segments.
        metrics: Metric names; each slice is scored with the scorer of its target language.
        n_resamples: Bootstrap resamples for the CIs (0 for none).
        seed: Bootstrap seed.
        scorer_options: Extra options per metric, passed to ``get_scorer``.

    Returns:
        The slice scores, as run.json ``scores`` holds them.
    """
    import numpy as np

    from evalkit.intervals import score_with_ci
    from evalkit.scorers import get_scorer

    out: list[SliceScore] = []
    metrics = list(metrics)
    for key, idx in group_by_slice(segments).items():
        week, task, pair, field = key
        for metric in metrics:
            rows = [segments[i].stats[metric] for i in idx if metric in segments[i].stats]
            if not rows:
                continue
            scorer = get_scorer(
                metric, lang=target_of(pair), **dict((scorer_options or {}).get(metric, {}))
            )
            score = score_with_ci(
                scorer, np.asarray(rows, dtype=np.float64), n_resamples=n_resamples, seed=seed
            )
            if not math.isfinite(score.score):
                # a judge that judged none of the slice's segments: no score, and the
                # segments say why (judge_unparsed / judge_failed flags)
                continue
            ci95 = score.ci95
            if ci95 is not None and not all(math.isfinite(v) for v in ci95):
                ci95 = None
            out.append(
                SliceScore(
                    week=week,
                    task=task,
                    pair=pair,
                    field=field,
                    metric=metric,
                    score=score.score,
                    ci95=ci95,
                    n=score.n,
                    components=dict(score.components),
                    signature=score.signature,
                )
            )
    return out

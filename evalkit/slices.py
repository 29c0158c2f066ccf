"""Scores per slice (week x task x pair x field, plus all weeks) from segment statistics.

Shared by the runner, the reports, baselines and ``evalkit check``: statistics are
computed once per segment and only summed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from evalkit.runfiles import ALL_WEEKS

SliceKey = tuple[str, str, str, str]  # (week, task, pair, field)


def segment_slice_keys(segment: Mapping[str, Any]) -> tuple[SliceKey, SliceKey]:
    """The week slice and the all-weeks slice a segment belongs to."""
    pair = segment.get("pair") or f"{segment['src_lang']}-{segment['tgt_lang']}"
    rest = (segment["task"], pair, segment["field"])
    return (segment["week"], *rest), (ALL_WEEKS, *rest)


def group_by_slice(segments: Sequence[Mapping[str, Any]]) -> dict[SliceKey, list[int]]:
    """Segment indices per slice, slices in a stable order (weeks sorted, "all" last)."""
    groups: dict[SliceKey, list[int]] = defaultdict(list)
    for i, seg in enumerate(segments):
        for key in segment_slice_keys(seg):
            groups[key].append(i)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0][0] == ALL_WEEKS, kv[0])))


def slice_dict(key: SliceKey) -> dict[str, str]:
    week, task, pair, field = key
    return {"week": week, "task": task, "pair": pair, "field": field}


def score_slices(
    segments: Sequence[Mapping[str, Any]],
    metrics: Iterable[str],
    *,
    n_resamples: int = 1000,
    seed: int = 12345,
    scorer_options: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Score every slice for every metric from the segments' ``stats``.

    Args:
        segments: Records with ``week``, ``task``, ``src_lang``, ``tgt_lang``, ``field``
            and ``stats: {metric: [floats]}``.
        metrics: Metric names; each slice is scored with the scorer of its target language.
        n_resamples: Bootstrap resamples for the CIs (0 for none).
        seed: Bootstrap seed.
        scorer_options: Extra options per metric, passed to ``get_scorer``.

    Returns:
        Slice score dicts as stored in run.json ``scores``.
    """
    import numpy as np

    from evalkit.scorers import get_scorer
    from evalkit.stats import score_with_ci

    out: list[dict[str, Any]] = []
    metrics = list(metrics)
    for key, idx in group_by_slice(segments).items():
        tgt = key[2].split("-")[1]
        for metric in metrics:
            rows = [
                segments[i]["stats"][metric] for i in idx if metric in segments[i].get("stats", {})
            ]
            if not rows:
                continue
            scorer = get_scorer(metric, lang=tgt, **dict((scorer_options or {}).get(metric, {})))
            score = score_with_ci(
                scorer, np.asarray(rows, dtype=np.float64), n_resamples=n_resamples, seed=seed
            )
            out.append({**slice_dict(key), **score.to_dict()})
    return out

"""Segments of a run: one per answered example, with its output, scores and statistics.

Statistics are computed once per segment by :func:`evalkit.scorers.batch.compute_stats`,
the path ``evalkit score`` takes too (references prepared once per metric, a process pool
for large inputs), grouped by task and target language, which picks the tokenizer.
Every slice score and bootstrap CI is then a sum of rows (:mod:`evalkit.slices`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evalkit.records import Segment, finite_or_none

if TYPE_CHECKING:
    from evalkit.dataset import Example
    from evalkit.judges.judgment import Judgment

#: Metrics scored when ``--metrics`` is not given.
DEFAULT_METRICS: dict[str, tuple[str, ...]] = {
    "translation": ("bleu", "chrf", "ter", "target_script", "length_ratio"),
    "summarization": ("rouge1", "rouge2", "rougeL", "length_ratio"),
}

Signatures = dict[str, dict[str, str]]


def flags_for(example: Example, output: str) -> list[str]:
    """What is visibly wrong with an output (:func:`evalkit.scorers.degenerate.output_flags`)."""
    from evalkit.scorers.degenerate import output_flags

    return output_flags(output, reference=example.reference, source=example.source)


def build_segments(
    examples: Sequence[Example],
    outputs: Mapping[str, str],
    metrics_by_task: Mapping[str, Sequence[str]],
    scorer_options: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    jobs: int | None = None,
    cache_dir: str | Path | None = None,
    cwd: str | None = None,
    budget: Any = None,
) -> tuple[list[Segment], Signatures]:
    """Score every answered example.

    Args:
        examples: The examples of the run, in order.
        outputs: Example id -> output; examples without an output are left out.
        metrics_by_task: The metrics to compute for each task.
        scorer_options: Options per metric, passed to ``get_scorer``.
        jobs: Processes for the statistics (None: one per CPU when the input is large).
        cache_dir: Where judge scorers cache their answers (``<results>/cache``).
        cwd: Where the ``evalkit.toml`` naming a judge is.
        budget: The run's ``--max-cost`` budget, which judges are charged to.

    Returns:
        The segments (in example order) and the metric signatures
        ``{metric: {tgt_lang: signature}}``.
    """
    from evalkit.scorers import get_scorer
    from evalkit.scorers.batch import compute_stats

    options = scorer_options or {}
    answered = [e for e in examples if e.id in outputs]
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, e in enumerate(answered):
        groups[(e.task, e.tgt_lang)].append(i)
    stats: list[dict[str, tuple[float, ...]]] = [{} for _ in answered]
    judgments: list[dict[str, Judgment]] = [{} for _ in answered]
    flags = [flags_for(e, outputs[e.id]) for e in answered]
    scores: list[dict[str, float | None]] = [{} for _ in answered]
    signatures: dict[str, dict[str, str]] = defaultdict(dict)
    for (task, lang), idx in groups.items():
        metrics = list(metrics_by_task.get(task, ()))
        if not metrics:
            continue
        group = [answered[i] for i in idx]
        for metric in metrics:
            attach = getattr(
                get_scorer(metric, lang=lang, **dict(options.get(metric, {}))), "attach", None
            )
            if attach is not None:  # a judge: answers cached with the run's results
                attach(cache_dir=cache_dir, cwd=cwd, budget=budget)
        by_metric = compute_stats(
            metrics,
            lang=lang,
            refs=[e.reference for e in group],
            systems=[[outputs[e.id] for e in group]],
            srcs=[e.source for e in group],
            options=options,
            jobs=jobs,
        )
        for metric in metrics:
            scorer = get_scorer(metric, lang=lang, **dict(options.get(metric, {})))
            (matrix,) = by_metric[metric]
            seg_scores = list(scorer.segment_scores(matrix)) if len(matrix) else []
            for row, i in enumerate(idx):
                stats[i][metric] = tuple(float(x) for x in matrix[row])
                scores[i][metric] = finite_or_none(seg_scores[row])
            signatures[metric][lang] = scorer.signature()
            judgment_for = getattr(scorer, "judgment_for", None)
            if judgment_for is None:
                continue
            for i in idx:
                e = answered[i]
                j = judgment_for(outputs[e.id], e.reference, e.source)
                if j is None:
                    continue
                judgments[i][metric] = j
                if not j.judged:  # counted, never scored: the reader must see why
                    flags[i].append(
                        f"judge_failed:{metric}" if j.failed else f"judge_unparsed:{metric}"
                    )
    segments = [
        Segment.of(
            e,
            outputs[e.id],
            scores=scores[i],
            stats=stats[i],
            flags=tuple(flags[i]),
            judgments=judgments[i],
        )
        for i, e in enumerate(answered)
    ]
    return segments, {m: dict(sorted(s.items())) for m, s in sorted(signatures.items())}


def pooled_fields(segments: Sequence[Segment]) -> list[Segment]:
    """Copies of ``segments`` with every field relabelled ``all`` (for summary tables)."""
    return [dataclasses.replace(s, field="all") for s in segments]

"""Segment records of a run: one per example, with its output, scores and statistics.

A record of ``segments.jsonl``::

    {"schema_version", "id", "paper_id", "week", "task", "field", "src_lang", "tgt_lang",
     "pair", "source", "reference", "output", "scores": {metric: float | null},
     "stats": {metric: [float, ...]}, "flags": [str]}

Statistics are computed once per segment (grouped by target language, which picks
the tokenizer); every slice score and bootstrap CI is then a sum of rows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from evalkit.io import SCHEMA_VERSION

if TYPE_CHECKING:
    from evalkit.dataset import Example

#: Metrics scored when ``--metrics`` is not given.
DEFAULT_METRICS: dict[str, tuple[str, ...]] = {
    "translation": ("bleu", "chrf", "ter", "target_script", "length_ratio"),
    "summarization": ("rouge1", "rouge2", "rougeL", "length_ratio"),
}


def _finite(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def flags_for(example: Example, output: str) -> list[str]:
    """What is visibly wrong with an output (:func:`evalkit.scorers.degenerate.output_flags`)."""
    from evalkit.scorers.degenerate import output_flags

    return output_flags(output, reference=example.reference, source=example.source)


def build_segments(
    examples: Sequence[Example],
    outputs: Mapping[str, str],
    metrics_by_task: Mapping[str, Sequence[str]],
    scorer_options: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]]]:
    """Score every answered example.

    Args:
        examples: The examples of the run, in order.
        outputs: Example id -> output; examples without an output are left out.
        metrics_by_task: The metrics to compute for each task.
        scorer_options: Options per metric, passed to ``get_scorer``.

    Returns:
        The segment records (in example order) and the metric signatures
        ``{metric: {tgt_lang: signature}}``.
    """
    from evalkit.scorers import get_scorer

    answered = [e for e in examples if e.id in outputs]
    segments: list[dict[str, Any]] = [
        {
            "schema_version": SCHEMA_VERSION,
            "id": e.id,
            "paper_id": e.paper_id,
            "week": e.week,
            "task": e.task,
            "field": e.field,
            "src_lang": e.src_lang,
            "tgt_lang": e.tgt_lang,
            "pair": e.pair,
            "source": e.source,
            "reference": e.reference,
            "output": outputs[e.id],
            "scores": {},
            "stats": {},
            "flags": flags_for(e, outputs[e.id]),
        }
        for e in answered
    ]
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, e in enumerate(answered):
        groups[(e.task, e.tgt_lang)].append(i)
    signatures: dict[str, dict[str, str]] = defaultdict(dict)
    for (task, lang), idx in groups.items():
        hyps = [segments[i]["output"] for i in idx]
        refs = [segments[i]["reference"] for i in idx]
        for metric in metrics_by_task.get(task, ()):
            scorer = get_scorer(metric, lang=lang, **dict((scorer_options or {}).get(metric, {})))
            if scorer.needs_sources:
                srcs = [segments[i]["source"] for i in idx]
                stats = scorer.stats(hyps=hyps, refs=refs, srcs=srcs)  # type: ignore[call-arg]
            else:
                stats = scorer.stats(hyps=hyps, refs=refs)
            seg_scores = scorer.segment_scores(stats)
            for row, i in enumerate(idx):
                segments[i]["stats"][metric] = [float(x) for x in stats[row]]
                segments[i]["scores"][metric] = _finite(seg_scores[row])
            signatures[metric][lang] = scorer.signature()
    return segments, {m: dict(sorted(s.items())) for m, s in sorted(signatures.items())}


def pooled_fields(segments: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``segments`` with every field relabelled ``all`` (for summary tables)."""
    return [{**s, "field": "all"} for s in segments]

"""What the comparison engine reads: one :class:`Side` per run or baseline.

The engine (:mod:`evalkit.check.engine`) never touches run files or baseline records;
:func:`side_of` is the one adapter from a :class:`~evalkit.runfiles.LoadedRun` or a
:class:`~evalkit.baseline.Baseline` to a :class:`Side`. When the run records change
shape, only this module changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evalkit.baseline import Baseline, text_hash
from evalkit.errors import DataError
from evalkit.runfiles import SEGMENTS_FILE, LoadedRun

SliceKey = tuple[str, str, str, str]
Row = tuple[float, ...]


@dataclass(frozen=True)
class Side:
    """One side of a comparison, as plain aligned tuples.

    Attributes:
        role: How messages name it: ``baseline``, ``run`` or ``first run``.
        name: Its file or folder, for messages.
        run_id: The run id.
        ids: Example ids.
        slices: Per example, its (week, task, pair, field).
        texts: Per example, the hash of its source and reference (None: unknown).
        stats: Per metric, per example, the statistics row (None: not scored).
        signatures: Per metric, per target language, the scorer signature.
        scorer_options: Per metric, the scorer options it was scored with.
        dataset_fingerprint: Fingerprint of the dataset.
        status: ``complete`` or ``partial``.
        slice_ci: The 95% interval recorded per (slice, metric), for display.
    """

    role: str
    name: str
    run_id: str
    ids: tuple[str, ...]
    slices: tuple[SliceKey, ...]
    texts: tuple[str | None, ...]
    stats: Mapping[str, tuple[Row | None, ...]]
    signatures: Mapping[str, Mapping[str, str]]
    scorer_options: Mapping[str, Mapping[str, Any]]
    dataset_fingerprint: str | None
    status: str = "complete"
    slice_ci: Mapping[tuple[SliceKey, str], tuple[float, float] | None] = field(
        default_factory=dict
    )

    @property
    def metrics(self) -> list[str]:
        return sorted(self.signatures)

    @property
    def weeks(self) -> set[str]:
        return {k[0] for k in self.slices}


def _row(value: Any, where: str, ex_id: str, metric: str) -> Row:
    try:
        row = tuple(float(v) for v in value if not isinstance(v, bool))
        if len(row) != len(value):
            raise TypeError("a boolean")
    except (TypeError, ValueError) as exc:
        raise DataError(f"{ex_id}: stats.{metric} is not a list of numbers", path=where) from exc
    if not all(math.isfinite(v) and abs(v) <= 2**53 for v in row):
        raise DataError(
            f"{ex_id}: stats.{metric} holds a non-finite or out-of-range number", path=where
        )
    return row


def _from_run(run: LoadedRun, role: str) -> Side:
    """A run's side of a comparison, read from its typed records (validated on load)."""
    record = run.record
    where = str(run.path / SEGMENTS_FILE)
    metrics = {m: dict(by_lang) for m, by_lang in record.signatures.items()}
    ids, slices, texts = [], [], []
    stats: dict[str, list[Row | None]] = {m: [] for m in metrics}
    for seg in run.segments:
        ids.append(seg.id)
        slices.append(seg.slice_key)
        texts.append(text_hash(seg.source, seg.reference))
        for m in metrics:
            value = seg.stats.get(m)
            stats[m].append(None if value is None else _row(value, where, seg.id, m))
    ci = {((s.week, s.task, s.pair, s.field), s.metric): s.ci95 for s in record.scores}
    return Side(
        role=role,
        name=str(run.path),
        run_id=record.run_id,
        ids=tuple(ids),
        slices=tuple(slices),
        texts=tuple(texts),
        stats={m: tuple(rows) for m, rows in stats.items()},
        signatures=metrics,
        scorer_options=dict(record.selection.scorer_options or {}),
        dataset_fingerprint=record.dataset.fingerprint,
        status=record.status,
        slice_ci=ci,
    )


def _from_baseline(baseline: Baseline, role: str) -> Side:
    return Side(
        role=role,
        name=baseline.name,
        run_id=baseline.run_id or "",
        ids=baseline.ids,
        slices=tuple(baseline.slice_keys()),
        texts=baseline.texts,
        stats=baseline.stats,
        signatures=baseline.metrics,
        scorer_options=baseline.scorer_options,
        dataset_fingerprint=baseline.dataset_fingerprint,
    )


def side_of(source: LoadedRun | Baseline, role: str = "run") -> Side:
    """The :class:`Side` of a loaded run or a baseline.

    Raises:
        DataError: naming the segments file and example of a statistic that is not a
            finite number, or a segment without its slice fields.
    """
    if isinstance(source, Baseline):
        return _from_baseline(source, role)
    return _from_run(source, role)

"""Baselines: the small committed file that ``evalkit check`` compares a run against.

A baseline keeps what a later comparison needs and nothing else: the run's metadata
(system spec, dataset fingerprint, selection), the metric signatures, the slice scores,
the example ids and, per metric, the segment statistics aligned with those ids, so
paired significance tests run from the file alone. Source, reference and output texts
are not stored; a short hash of each example's source and reference is, so a changed
dataset can be told apart from a dataset that only gained new weeks.

The file is compact JSON (``kind: "evalkit-baseline"``, ``schema_version`` 1, the format
of evalkit 0.1.0). Statistics are written as JSON numbers with Python's shortest
round-trip representation (integral values as integers), so they read back as exactly
the same float64 values. :class:`Baseline` is the typed record; reading and building one
validate it (:mod:`evalkit.baseline_check`), so a baseline that the gate could not fully
check never exists in memory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalkit import __version__
from evalkit.baseline_check import validate
from evalkit.errors import DataError
from evalkit.io import atomic_write_text, read_json
from evalkit.paper import languages_of
from evalkit.records.run import DatasetInfo, Selection
from evalkit.runfiles import LoadedRun, load_run

KIND = "evalkit-baseline"
SCHEMA_VERSION = 1
#: Hex digits of the per-example text hash: enough to notice an edited example.
TEXT_HASH_LEN = 12
#: Slice-score keys kept in the file (components and signatures are recomputable or
#: stored once in ``metrics``).
_SCORE_KEYS = ("week", "task", "pair", "field", "metric", "score", "n")

SliceKey = tuple[str, str, str, str]
Row = tuple[float, ...]


def text_hash(source: str, reference: str) -> str:
    """Short hash of an example's source and reference text."""
    data = source.encode("utf-8") + b"\x00" + reference.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:TEXT_HASH_LEN]


def _compact(v: float) -> float | int:
    # Integral floats as ints: same float64 after reading, fewer bytes.
    return int(v) if float(v).is_integer() and abs(v) < 2**53 else float(v)


@dataclass(frozen=True)
class Baseline:
    """A validated baseline (see the module docstring for the file).

    Attributes:
        run: ``run_id``, ``created``, ``evalkit_version``, ``git_revision`` of the run.
        system: The system spec of the run (secrets removed).
        dataset: The run's dataset (source, fingerprint, papers per week), as run.json's.
        selection: Tasks, pairs, fields, weeks, metrics and scorer options of the run, as
            run.json's.
        bootstrap: ``n_resamples`` and ``seed`` of the run.
        metrics: Signature per metric and target language.
        ids: Example ids, sorted.
        slice_table: The distinct (week, task, pair, field) keys.
        slice_index: Per example, its index into :attr:`slice_table`.
        texts: Per example, :func:`text_hash` of its source and reference.
        examples_fingerprint: The run's example-set fingerprint.
        scores: The run's slice scores (``_SCORE_KEYS``).
        stats: Per metric, one statistics row per example (None: not scored).
        evalkit_version: The evalkit that wrote the file.
        path: Where it was read from or written to, if anywhere.
    """

    run: Mapping[str, Any]
    system: Any
    dataset: DatasetInfo | None
    selection: Selection | None
    bootstrap: Mapping[str, Any] | None
    metrics: Mapping[str, Mapping[str, str]]
    ids: tuple[str, ...]
    slice_table: tuple[SliceKey, ...]
    slice_index: tuple[int, ...]
    texts: tuple[str, ...]
    examples_fingerprint: str | None
    scores: tuple[Mapping[str, Any], ...]
    stats: Mapping[str, tuple[Row | None, ...]]
    evalkit_version: str = __version__
    path: Path | None = field(default=None, compare=False)

    @property
    def name(self) -> str:
        return str(self.path) if self.path is not None else "baseline"

    @property
    def run_id(self) -> str | None:
        value = self.run.get("run_id")
        return None if value is None else str(value)

    @property
    def dataset_fingerprint(self) -> str | None:
        return self.dataset.fingerprint if self.dataset is not None else None

    @property
    def scorer_options(self) -> dict[str, dict[str, Any]]:
        """The ``[scorers.NAME]`` options the run was scored with."""
        options = self.selection.scorer_options if self.selection is not None else None
        return {m: dict(o) for m, o in (options or {}).items()}

    @property
    def seed(self) -> int | None:
        """The run's bootstrap seed, if the file records it."""
        return (self.bootstrap or {}).get("seed")

    @property
    def n_resamples(self) -> int | None:
        """The run's bootstrap resamples, if the file records them."""
        return (self.bootstrap or {}).get("n_resamples")

    @property
    def weeks(self) -> set[str]:
        return {key[0] for key in self.slice_table}

    @property
    def data(self) -> dict[str, Any]:
        """The JSON object of the file (what 0.1.0 exposed as ``data``)."""
        return self.to_dict()

    def slice_keys(self) -> list[SliceKey]:
        """The (week, task, pair, field) of each example, aligned with :attr:`ids`."""
        return [self.slice_table[i] for i in self.slice_index]

    def text_hashes(self) -> list[str]:
        return list(self.texts)

    def segments(self) -> list[dict[str, Any]]:
        """Segment records (id, week, task, pair, field, stats) rebuilt from the file."""
        out = []
        for i, (ex_id, key) in enumerate(zip(self.ids, self.slice_keys(), strict=True)):
            week, task, pair, field_ = key
            seg_stats = {m: list(r) for m, rows in self.stats.items() if (r := rows[i]) is not None}
            src, tgt = languages_of(pair)
            out.append(
                {
                    "id": ex_id,
                    "week": week,
                    "task": task,
                    "pair": pair,
                    "field": field_,
                    "src_lang": src,
                    "tgt_lang": tgt,
                    "stats": seg_stats,
                }
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": KIND,
            "evalkit_version": self.evalkit_version,
            "run": dict(self.run),
            "system": self.system,
            "dataset": self.dataset.to_dict() if self.dataset is not None else None,
            "selection": self.selection.to_dict() if self.selection is not None else None,
            "bootstrap": self.bootstrap,
            "metrics": {m: dict(s) for m, s in self.metrics.items()},
            "examples": {
                "count": len(self.ids),
                "fingerprint": self.examples_fingerprint,
                "ids": list(self.ids),
                "slices": [list(k) for k in self.slice_table],
                "slice": list(self.slice_index),
                "texts": list(self.texts),
            },
            "scores": [dict(s) for s in self.scores],
            "stats": {
                m: [None if r is None else [_compact(v) for v in r] for r in rows]
                for m, rows in self.stats.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, path: str | Path | None = None) -> Baseline:
        """Validate a baseline's JSON object and build the record.

        Raises:
            DataError: one line naming ``path`` and the key at fault: a wrong kind or
                version, misaligned examples, a metric without statistics, a non-finite
                or out-of-range number, a bad bootstrap seed.
        """
        v = validate(data, path=path, kind=KIND, schema_version=SCHEMA_VERSION)
        return cls(**v, path=Path(path) if path is not None else None)

    def to_json(self) -> str:
        return (
            json.dumps(
                self.to_dict(),
                ensure_ascii=False,
                sort_keys=True,
                separators=(",", ":"),
                allow_nan=False,
            )
            + "\n"
        )


def from_run(run: LoadedRun) -> Baseline:
    """Build a baseline from a loaded run.

    Raises:
        DataError: if the run is partial, has no segments, or a segment lacks what a
            baseline needs (id, slice fields, source and reference, statistics), or a
            statistic is not a finite number.
    """
    record = run.record
    where = run.path
    if record.status != "complete":
        raise DataError(
            f"run is {record.status!r} ({len(record.failed_ids)} examples failed); "
            "a baseline needs a complete run",
            path=where,
        )
    if not run.segments:
        raise DataError("run has no segments to keep as a baseline", path=where)
    metrics = sorted(record.signatures)
    if not metrics:
        raise DataError("run.json lists no metrics", path=where)

    table: dict[SliceKey, int] = {}
    ids, slice_idx, texts = [], [], []
    stats: dict[str, list[Any]] = {m: [] for m in metrics}
    seen: set[str] = set()
    for seg in sorted(run.segments, key=lambda s: s.id):
        if seg.id in seen:
            raise DataError(f"example id {seg.id!r} appears twice in segments", path=where)
        seen.add(seg.id)
        ids.append(seg.id)
        texts.append(text_hash(seg.source, seg.reference))
        slice_idx.append(table.setdefault(seg.slice_key, len(table)))
        for m in metrics:
            row = seg.stats.get(m)
            stats[m].append(list(row) if row is not None else None)

    meta = record.to_dict()  # the run.json layout the baseline keeps parts of
    data = {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "evalkit_version": __version__,
        "run": {k: meta.get(k) for k in ("run_id", "created", "evalkit_version", "git_revision")},
        "system": meta["system"],
        "dataset": meta["dataset"],
        "selection": meta["selection"],
        "bootstrap": meta["bootstrap"],
        "metrics": meta["metrics"],
        "examples": {
            "count": len(ids),
            "fingerprint": record.examples_fingerprint,
            "ids": ids,
            "slices": [list(k) for k in table],
            "slice": slice_idx,
            "texts": texts,
        },
        "scores": [{k: s.to_dict().get(k) for k in _SCORE_KEYS} for s in record.scores],
        "stats": stats,
    }
    return Baseline.from_dict(data, path=where)


def save(run_path: str | Path, to: str | Path) -> Baseline:
    """Read the run at ``run_path`` and write its baseline to ``to`` (atomically)."""
    baseline = from_run(load_run(run_path))
    atomic_write_text(to, baseline.to_json())
    return Baseline.from_dict(baseline.to_dict(), path=to)


def load(path: str | Path) -> Baseline:
    """Read and validate a baseline file.

    Raises:
        DataError: naming the file (and the key at fault) if it is not a baseline this
            version can read.
    """
    return Baseline.from_dict(read_json(path), path=path)

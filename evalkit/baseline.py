"""Baselines: the small committed file that ``evalkit check`` compares a run against.

A baseline keeps what a later comparison needs and nothing else: the run's metadata
(system spec, dataset fingerprint, selection), the metric signatures, the slice scores,
the example ids and, per metric, the segment statistics aligned with those ids, so
paired significance tests run from the file alone. Source, reference and output texts
are not stored; a short hash of each example's source and reference is, so a changed
dataset can be told apart from a dataset that only gained new weeks.

The file is compact JSON (``kind: "evalkit-baseline"``, ``schema_version``). Statistics
are written as JSON numbers with Python's shortest round-trip representation (integral
values as integers), so they read back as exactly the same float64 values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit import __version__
from evalkit.errors import DataError
from evalkit.io import atomic_write_text, read_json
from evalkit.runfiles import LoadedRun, load_run

KIND = "evalkit-baseline"
SCHEMA_VERSION = 1
#: Hex digits of the per-example text hash: enough to notice an edited example.
TEXT_HASH_LEN = 12
#: Slice-score keys kept in the file (components and signatures are recomputable or
#: stored once in ``metrics``).
_SCORE_KEYS = ("week", "task", "pair", "field", "metric", "score", "n")

SliceKey = tuple[str, str, str, str]


def text_hash(source: str, reference: str) -> str:
    """Short hash of an example's source and reference text."""
    data = source.encode("utf-8") + b"\x00" + reference.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:TEXT_HASH_LEN]


def slice_key(seg: Mapping[str, Any]) -> SliceKey:
    """The (week, task, pair, field) of a segment record."""
    pair = seg.get("pair") or f"{seg['src_lang']}-{seg['tgt_lang']}"
    return (str(seg["week"]), str(seg["task"]), str(pair), str(seg["field"]))


def _compact_row(row: Sequence[float]) -> list[float | int]:
    # Integral floats as ints: same float64 after reading, fewer bytes.
    return [int(v) if float(v).is_integer() and abs(v) < 2**53 else float(v) for v in row]


@dataclass(frozen=True)
class Baseline:
    """A baseline read from (or about to be written to) a file.

    Attributes:
        data: The JSON object as stored.
        path: Where it was read from, if it was.
    """

    data: dict[str, Any]
    path: Path | None = None

    @property
    def name(self) -> str:
        return str(self.path) if self.path is not None else "baseline"

    @property
    def ids(self) -> list[str]:
        return list(self.data["examples"]["ids"])

    @property
    def dataset_fingerprint(self) -> str | None:
        return (self.data.get("dataset") or {}).get("fingerprint")

    @property
    def metrics(self) -> dict[str, dict[str, str]]:
        return dict(self.data.get("metrics") or {})

    @property
    def weeks(self) -> set[str]:
        return {key[0] for key in self.slice_keys()}

    def slice_keys(self) -> list[SliceKey]:
        """The (week, task, pair, field) of each example, aligned with :attr:`ids`."""
        table = [tuple(t) for t in self.data["examples"]["slices"]]
        return [table[i] for i in self.data["examples"]["slice"]]  # type: ignore[misc]

    def text_hashes(self) -> list[str]:
        return list(self.data["examples"]["texts"])

    def segments(self) -> list[dict[str, Any]]:
        """Segment records (id, week, task, pair, field, stats) rebuilt from the file."""
        stats = self.data["stats"]
        out = []
        for i, (ex_id, key) in enumerate(zip(self.ids, self.slice_keys(), strict=True)):
            week, task, pair, field = key
            seg_stats = {m: rows[i] for m, rows in stats.items() if rows[i] is not None}
            out.append(
                {
                    "id": ex_id,
                    "week": week,
                    "task": task,
                    "pair": pair,
                    "field": field,
                    "src_lang": pair.split("-")[0],
                    "tgt_lang": pair.split("-")[1],
                    "stats": seg_stats,
                }
            )
        return out

    def to_json(self) -> str:
        return (
            json.dumps(
                self.data,
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
            baseline needs (id, slice fields, source and reference, statistics).
    """
    meta = run.meta
    where = run.path
    if meta.get("status", "complete") != "complete":
        n_fail = sum(len(f.get("ids", [])) for f in meta.get("failures") or [])
        raise DataError(
            f"run is {meta.get('status')!r} ({n_fail} examples failed); "
            "a baseline needs a complete run",
            path=where,
        )
    if not run.segments:
        raise DataError("run has no segments to keep as a baseline", path=where)
    metrics = sorted((meta.get("metrics") or {}).keys())
    if not metrics:
        raise DataError("run.json lists no metrics", path=where)

    segments = sorted(run.segments, key=lambda s: str(s.get("id")))
    table: dict[SliceKey, int] = {}
    ids, slice_idx, texts = [], [], []
    stats: dict[str, list[list[float | int] | None]] = {m: [] for m in metrics}
    seen: set[str] = set()
    for seg in segments:
        try:
            ex_id = str(seg["id"])
            key = slice_key(seg)
            texts.append(text_hash(seg["source"], seg["reference"]))
        except (KeyError, TypeError) as exc:
            raise DataError(f"segment {seg.get('id')!r} lacks {exc}", path=where) from exc
        if ex_id in seen:
            raise DataError(f"example id {ex_id!r} appears twice in segments", path=where)
        seen.add(ex_id)
        ids.append(ex_id)
        slice_idx.append(table.setdefault(key, len(table)))
        seg_stats = seg.get("stats") or {}
        for m in metrics:
            row = seg_stats.get(m)
            stats[m].append(_compact_row(row) if row is not None else None)

    scores = [{k: s.get(k) for k in _SCORE_KEYS} for s in meta.get("scores") or []]
    examples = dict(meta.get("examples") or {})
    data = {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "evalkit_version": __version__,
        "run": {k: meta.get(k) for k in ("run_id", "created", "evalkit_version", "git_revision")},
        "system": meta.get("system"),
        "dataset": meta.get("dataset"),
        "selection": meta.get("selection"),
        "bootstrap": meta.get("bootstrap"),
        "metrics": meta.get("metrics"),
        "examples": {
            "count": len(ids),
            "fingerprint": examples.get("fingerprint"),
            "ids": ids,
            "slices": [list(k) for k in table],
            "slice": slice_idx,
            "texts": texts,
        },
        "scores": scores,
        "stats": stats,
    }
    return Baseline(data)


def save(run_path: str | Path, to: str | Path) -> Baseline:
    """Read the run at ``run_path`` and write its baseline to ``to`` (atomically)."""
    baseline = from_run(load_run(run_path))
    atomic_write_text(to, baseline.to_json())
    return Baseline(baseline.data, Path(to))


def load(path: str | Path) -> Baseline:
    """Read and validate a baseline file.

    Raises:
        DataError: naming the file if it is not a baseline this version can read.
    """
    path = Path(path)
    data = read_json(path)
    if data.get("kind") != KIND:
        raise DataError(
            f"not an evalkit baseline (kind {data.get('kind')!r}, expected {KIND!r})", path=path
        )
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise DataError(
            f"baseline schema_version {version!r} is not supported "
            f"(this evalkit reads {SCHEMA_VERSION}); save the baseline again",
            path=path,
        )
    try:
        ex = data["examples"]
        n = len(ex["ids"])
        if not (len(ex["slice"]) == len(ex["texts"]) == n):
            raise ValueError("examples.slice/texts not aligned with examples.ids")
        for metric, rows in data["stats"].items():
            if len(rows) != n:
                raise ValueError(f"stats.{metric} has {len(rows)} rows for {n} ids")
        n_slices = len(ex["slices"])
        if any(not 0 <= i < n_slices for i in ex["slice"]):
            raise ValueError("examples.slice refers to a missing slice")
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"malformed baseline: {exc}", path=path) from exc
    return Baseline(data, path)


def segment_week(seg: Mapping[str, Any]) -> str:
    """The week of a segment record, as a string."""
    return str(seg.get("week"))

"""Validation of a baseline's JSON object: everything the gate relies on, or one clear error.

A baseline the gate cannot fully check must not load: a metric listed without
statistics (``stats: {}``, ``stats.ter`` deleted), statistics that are not finite
numbers or too large to be counts (``1e308`` overflows every sum), misaligned rows, a
bootstrap seed that is not a seed. Each error is one line naming the file and the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evalkit.errors import DataError
from evalkit.records.check import PAIR, Where
from evalkit.records.run import DatasetInfo, Selection

#: Largest magnitude accepted for one segment statistic. Statistics are counts and
#: sums of per-segment scores; 2**53 is where float64 stops counting exactly, and
#: anything near it would overflow or lose every digit when summed over a slice.
MAX_STATISTIC = float(2**53)


def _fail(path: str | Path | None, key: str, message: str) -> DataError:
    return DataError(f"malformed baseline: {key}: {message}", path=path)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _row(value: Any, path: str | Path | None, key: str) -> tuple[float, ...]:
    if not isinstance(value, list):
        raise _fail(path, key, f"expected a list of numbers, got {type(value).__name__}")
    out = []
    for j, v in enumerate(value):
        number = _number(v)
        if number is None or not math.isfinite(number):
            raise _fail(path, f"{key}[{j}]", f"{v!r} is not a finite number")
        if abs(number) > MAX_STATISTIC:
            raise _fail(path, f"{key}[{j}]", f"{v!r} is out of range for a statistic")
        out.append(number)
    return tuple(out)


def _str_list(value: Any, path: str | Path | None, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, key, "expected a list of strings")
    return tuple(value)


def _mapping(value: Any, path: str | Path | None, key: str, optional: bool = True) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, Mapping):
        raise _fail(path, key, f"expected an object, got {type(value).__name__}")
    return value


def _typed(record: Any, value: Any, path: str | Path | None, key: str) -> Any:
    """``value`` read by the run record ``record`` (as run.json's is), or None."""
    if value is None:
        return None
    return record.from_dict(value, Where(path, key=key))


def _bootstrap(value: Any, path: str | Path | None) -> Any:
    boot = _mapping(value, path, "bootstrap")
    if boot is None:
        return None
    seed, n = boot.get("seed"), boot.get("n_resamples")
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63
    ):
        raise _fail(path, "bootstrap.seed", f"{seed!r} is not an integer from 0 to 2**63-1")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
        raise _fail(path, "bootstrap.n_resamples", f"{n!r} is not an integer >= 0")
    return dict(boot)


def _metrics(value: Any, path: str | Path | None) -> dict[str, dict[str, str]]:
    metrics = _mapping(value, path, "metrics", optional=False)
    out: dict[str, dict[str, str]] = {}
    for metric, sigs in metrics.items():
        sigs = _mapping(sigs, path, f"metrics.{metric}", optional=False)
        if not all(isinstance(s, str) for s in sigs.values()):
            raise _fail(path, f"metrics.{metric}", "signatures must be strings")
        out[str(metric)] = dict(sigs)
    if not out:
        raise _fail(path, "metrics", "no metric: the baseline has nothing to check")
    return out


def _scores(value: Any, path: str | Path | None) -> tuple[Mapping[str, Any], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(path, "scores", "expected a list")
    for i, s in enumerate(value):
        if not isinstance(s, Mapping):
            raise _fail(path, f"scores[{i}]", "expected an object")
        score = _number(s.get("score"))
        if s.get("score") is not None and (score is None or not math.isfinite(score)):
            raise _fail(path, f"scores[{i}].score", f"{s.get('score')!r} is not a finite number")
    return tuple(dict(s) for s in value)


def _examples(ex: Any, path: str | Path | None) -> dict[str, Any]:
    ex = _mapping(ex, path, "examples", optional=False)
    ids = _str_list(ex.get("ids"), path, "examples.ids")
    texts = _str_list(ex.get("texts"), path, "examples.texts")
    table = ex.get("slices")
    if not isinstance(table, list) or not all(
        isinstance(k, list) and len(k) == 4 and all(isinstance(p, str) for p in k) for k in table
    ):
        raise _fail(path, "examples.slices", "expected a list of [week, task, pair, field]")
    for i, key in enumerate(table):
        if not PAIR.match(key[2]):
            raise _fail(path, f"examples.slices[{i}]", f"{key[2]!r} is not a pair like 'en-ko'")
    index = ex.get("slice")
    if not isinstance(index, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in index
    ):
        raise _fail(path, "examples.slice", "expected a list of integers")
    if any(not 0 <= i < len(table) for i in index):
        raise _fail(path, "examples.slice", "refers to a missing slice")
    if not (len(index) == len(texts) == len(ids)):
        raise _fail(path, "examples", "examples.slice/texts not aligned with examples.ids")
    if len(set(ids)) != len(ids):
        raise _fail(path, "examples.ids", "an example id appears twice")
    if not ids:
        raise _fail(path, "examples.ids", "no example: the baseline has nothing to check")
    return {
        "ids": ids,
        "slice_table": tuple(tuple(k) for k in table),
        "slice_index": tuple(index),
        "texts": texts,
        "examples_fingerprint": ex.get("fingerprint"),
    }


def validate(
    data: Any, *, path: str | Path | None, kind: str, schema_version: int
) -> dict[str, Any]:
    """The fields of :class:`~evalkit.baseline.Baseline` from a validated JSON object.

    Raises:
        DataError: one line naming ``path`` and the key at fault.
    """
    if not isinstance(data, Mapping):
        raise DataError("not an evalkit baseline (expected a JSON object)", path=path)
    if data.get("kind") != kind:
        raise DataError(
            f"not an evalkit baseline (kind {data.get('kind')!r}, expected {kind!r})", path=path
        )
    version = data.get("schema_version")
    if version != schema_version:
        raise DataError(
            f"baseline schema_version {version!r} is not supported "
            f"(this evalkit reads {schema_version}); save the baseline again",
            path=path,
        )
    examples = _examples(data.get("examples"), path)
    n = len(examples["ids"])
    metrics = _metrics(data.get("metrics"), path)
    raw = _mapping(data.get("stats"), path, "stats", optional=False)
    stats: dict[str, tuple[tuple[float, ...] | None, ...]] = {}
    for metric in metrics:
        if metric not in raw:
            raise _fail(
                path, f"stats.{metric}", "missing: the metric is listed but cannot be checked"
            )
    for metric, rows in raw.items():
        if metric not in metrics:
            raise _fail(path, f"stats.{metric}", "has statistics but no signature in metrics")
        if not isinstance(rows, list):
            raise _fail(path, f"stats.{metric}", "expected a list of rows")
        if len(rows) != n:
            raise _fail(path, f"stats.{metric}", f"stats.{metric} has {len(rows)} rows for {n} ids")
        parsed = tuple(
            None if r is None else _row(r, path, f"stats.{metric}[{i}] ({examples['ids'][i]})")
            for i, r in enumerate(rows)
        )
        widths = {len(r) for r in parsed if r is not None}
        if len(widths) > 1:
            raise _fail(path, f"stats.{metric}", f"rows differ in length: {sorted(widths)}")
        if not widths:
            raise _fail(path, f"stats.{metric}", "no example has statistics")
        stats[str(metric)] = parsed
    run = _mapping(data.get("run"), path, "run") or {}
    return {
        "run": dict(run),
        "system": data.get("system"),
        "dataset": _typed(DatasetInfo, data.get("dataset"), path, "dataset"),
        "selection": _typed(Selection, data.get("selection"), path, "selection"),
        "bootstrap": _bootstrap(data.get("bootstrap"), path),
        "metrics": metrics,
        **examples,
        "scores": _scores(data.get("scores"), path),
        "stats": stats,
        "evalkit_version": str(data.get("evalkit_version") or ""),
    }

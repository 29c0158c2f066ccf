"""The on-disk run: ``results/runs/<run-id>/`` and how to read it back.

A run folder holds:

- ``run.json``: metadata and scores for every slice (see :data:`RUN_KEYS`);
- ``outputs.jsonl``: system outputs as they arrived (``{"id", "output"}``), append-only;
- ``segments.jsonl``: one record per example with its segment statistics per metric;
- ``report.md``, ``report.html`` and ``charts/``.

The reports, ``evalkit check`` and baselines read runs only through :func:`load_run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.errors import DataError
from evalkit.io import read_json, read_jsonl

RUN_FILE = "run.json"
OUTPUTS_FILE = "outputs.jsonl"
SEGMENTS_FILE = "segments.jsonl"
ALL_WEEKS = "all"

#: The keys of run.json, for documentation and validation.
RUN_KEYS = (
    "schema_version",  # int
    "run_id",  # str, the folder name
    "evalkit_version",  # str
    "created",  # ISO 8601 UTC timestamp
    "git_revision",  # str | None: the working directory's revision
    "system",  # dict: the system spec, secrets removed
    "dataset",  # {"source", "fingerprint", "papers", "weeks": {week: {"start","end","papers"}}}
    "selection",  # {"tasks", "pairs", "fields", "weeks", "metrics"}
    "examples",  # {"count", "fingerprint"}: the exact example set scored
    "bootstrap",  # {"n_resamples", "seed"}
    "metrics",  # {metric: {tgt_lang: signature}}
    "scores",  # list of slice scores, see SLICE_KEYS
    "status",  # "complete" | "partial"
    "failures",  # list of {"ids": [...], "error": str}
)

#: A slice score: {"week" (or "all"), "task", "pair", "field", "metric",
#: "score", "ci95": [lo, hi], "n", "components": {...}, "signature"}.
SLICE_KEYS = ("week", "task", "pair", "field", "metric")


@dataclass(frozen=True)
class LoadedRun:
    """A run read back from disk."""

    path: Path
    meta: dict[str, Any]
    segments: list[dict[str, Any]]

    @property
    def run_id(self) -> str:
        return str(self.meta.get("run_id", self.path.name))

    def scores(self) -> list[dict[str, Any]]:
        return list(self.meta.get("scores", []))


def load_run(path: str | Path, *, segments: bool = True) -> LoadedRun:
    """Read ``run.json`` and ``segments.jsonl`` of a run folder.

    Args:
        path: The run folder (or its run.json).
        segments: Also read segments.jsonl (a leaderboard needs run.json only).

    Raises:
        DataError: if the folder is not a run or a file is malformed.
    """
    path = Path(path)
    if path.name == RUN_FILE:
        path = path.parent
    if not (path / RUN_FILE).is_file():
        raise DataError(f"not a run folder (no {RUN_FILE})", path=path)
    meta = read_json(path / RUN_FILE)
    records = []
    if segments and (path / SEGMENTS_FILE).is_file():
        records = [record for _, record in read_jsonl(path / SEGMENTS_FILE)]
    return LoadedRun(path=path, meta=meta, segments=records)

"""The run folder format: ``results/runs/<run-id>/``, its paths, readers and writer.

A run folder holds:

- ``run.json``: a :class:`~evalkit.records.RunRecord` (metadata and slice scores);
- ``outputs.jsonl``: :class:`~evalkit.records.OutputLine` per answer as it arrived, append-only;
- ``segments.jsonl``: a :class:`~evalkit.records.Segment` per scored example;
- ``report.md``, ``report.html`` and ``charts/``.

Everything that reads a run (reports, baselines, ``evalkit check``) goes through
:func:`load_run`; everything that writes one (``evalkit run``, the tests) through
:func:`write_run`. Every reader validates and names the file, line and key at fault.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.errors import DataError
from evalkit.io import read_json, read_jsonl, write_json, write_jsonl
from evalkit.records import ALL_WEEKS, OutputLine, RunRecord, Segment, SliceScore, Where

RUN_FILE = "run.json"
OUTPUTS_FILE = "outputs.jsonl"
SEGMENTS_FILE = "segments.jsonl"
RUNS_DIR = "runs"

#: The keys of run.json (see :meth:`RunRecord.to_dict`).
RUN_KEYS = (
    "schema_version",
    "run_id",
    "evalkit_version",
    "created",
    "git_revision",
    "system",
    "dataset",
    "selection",
    "examples",
    "bootstrap",
    "metrics",
    "scores",
    "status",
    "failures",
)
#: The keys that name a slice score.
SLICE_KEYS = ("week", "task", "pair", "field", "metric")

__all__ = [
    "ALL_WEEKS",
    "OUTPUTS_FILE",
    "RUNS_DIR",
    "RUN_FILE",
    "RUN_KEYS",
    "SEGMENTS_FILE",
    "SLICE_KEYS",
    "LoadedRun",
    "load_run",
    "read_outputs",
    "read_run_record",
    "read_segments",
    "run_folders",
    "write_run",
]


@dataclass(frozen=True)
class LoadedRun:
    """A run read back from disk.

    Attributes:
        path: The run folder.
        record: run.json.
        segments: segments.jsonl, in file order (empty when not asked for).
    """

    path: Path
    record: RunRecord
    segments: list[Segment]

    @property
    def run_id(self) -> str:
        return self.record.run_id

    def scores(self) -> list[SliceScore]:
        return list(self.record.scores)

    @property
    def meta(self) -> dict[str, Any]:
        """run.json as a plain dict, as evalkit 0.1 gave it (a copy of :attr:`record`,
        which evalkit itself reads)."""
        return self.record.to_dict()


def read_run_record(path: str | Path) -> RunRecord:
    """Read and validate a ``run.json``.

    Raises:
        DataError: naming the file and key of what is wrong.
    """
    path = Path(path)
    return RunRecord.from_dict(read_json(path), Where(path))


def read_segments(path: str | Path) -> list[Segment]:
    """Read and validate a ``segments.jsonl``; ids must be unique.

    Raises:
        DataError: naming the file, line and key of what is wrong.
    """
    path = Path(path)
    out: list[Segment] = []
    seen: dict[str, int] = {}
    widths: dict[str, tuple[int, int]] = {}  # metric -> (statistics per segment, first line)
    for line, obj in read_jsonl(path):
        seg = Segment.from_dict(obj, Where(path, line))
        if seg.id in seen:
            raise DataError(
                f"segment id {seg.id!r} appears again (first on line {seen[seg.id]})",
                path=path,
                line=line,
            )
        seen[seg.id] = line
        for metric, row in seg.stats.items():
            width, first = widths.setdefault(metric, (len(row), line))
            if len(row) != width:
                raise DataError(
                    f"stats.{metric}: {len(row)} statistics, line {first} has {width}",
                    path=path,
                    line=line,
                )
        out.append(seg)
    return out


def read_outputs(path: str | Path, wanted: set[str] | None = None) -> dict[str, str]:
    """The outputs of a run's ``outputs.jsonl`` (a line torn by a kill at the end is ignored).

    Args:
        path: The file; a missing file has no outputs.
        wanted: Keep only these ids (None: all).

    Raises:
        DataError: naming the file and line of a malformed record.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    out: dict[str, str] = {}
    for line, obj in read_jsonl(path, tolerate_torn_tail=True):
        record = OutputLine.from_dict(obj, Where(path, line))
        if wanted is None or record.id in wanted:
            out[record.id] = record.output
    return out


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
    record = read_run_record(path / RUN_FILE)
    segs: list[Segment] = []
    if segments and (path / SEGMENTS_FILE).is_file():
        segs = read_segments(path / SEGMENTS_FILE)
    return LoadedRun(path=path, record=record, segments=segs)


def write_run(run_dir: str | Path, record: RunRecord, segments: Sequence[Segment]) -> Path:
    """Write ``segments.jsonl`` and then ``run.json`` of a run folder, each atomically.

    Returns:
        The run folder.

    Raises:
        OSError: naming the file that could not be written.
    """
    run_dir = Path(run_dir)
    write_jsonl(run_dir / SEGMENTS_FILE, (s.to_dict() for s in segments))
    write_json(run_dir / RUN_FILE, record.to_dict())
    return run_dir


def previous_created(run_dir: str | Path) -> str | None:
    """The ``created`` time of a run folder's existing run.json, if it has a readable one."""
    path = Path(run_dir) / RUN_FILE
    if not path.is_file():
        return None
    try:
        created = read_json(path).get("created")
    except DataError as exc:
        print(f"evalkit: warning: {exc}; writing it anew", file=sys.stderr)
        return None
    return created if isinstance(created, str) and created else None


def run_folders(results_dir: str | Path) -> list[Path]:
    """The folders under ``results_dir/runs`` that hold a run.json, sorted by name."""
    runs_dir = Path(results_dir) / RUNS_DIR
    if not runs_dir.is_dir():
        return []
    return sorted(p for p in runs_dir.iterdir() if (p / RUN_FILE).is_file())

"""Typed, versioned records of what evalkit writes about a run and reads back.

- :class:`Segment`: a line of ``segments.jsonl``;
- :class:`RunRecord` (with :class:`SliceScore`, :class:`Failure`, :class:`Selection`,
  :class:`DatasetInfo`, :class:`ModelUsage`): ``run.json``;
- :class:`OutputLine`: a line of ``outputs.jsonl``; :class:`CacheEntry`: a cache line.

Each has ``to_dict`` (the file layout) and ``from_dict`` (validation naming the file,
line and key). Files are read and written by :mod:`evalkit.run_folder`.
"""

from __future__ import annotations

from evalkit.paper import pair_of, target_of
from evalkit.records.check import Where
from evalkit.records.lines import CacheEntry, OutputLine
from evalkit.records.run import (
    RUN_SCHEMA_VERSION,
    DatasetInfo,
    Failure,
    RunRecord,
    Selection,
    SliceScore,
    WeekInfo,
)
from evalkit.records.segment import (
    ALL_WEEKS,
    SEGMENT_SCHEMA_VERSION,
    Segment,
    SliceKey,
    finite_or_none,
)
from evalkit.records.usage import ModelUsage

__all__ = [
    "ALL_WEEKS",
    "RUN_SCHEMA_VERSION",
    "SEGMENT_SCHEMA_VERSION",
    "CacheEntry",
    "DatasetInfo",
    "Failure",
    "ModelUsage",
    "OutputLine",
    "RunRecord",
    "Segment",
    "Selection",
    "SliceKey",
    "SliceScore",
    "WeekInfo",
    "Where",
    "finite_or_none",
    "pair_of",
    "target_of",
]

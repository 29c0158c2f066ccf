"""What a run report shows, read from a run folder: slices, weeks, papers, worst segments.

Scores come from ``run.json`` as written; nothing here recomputes a metric.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from evalkit.records import ALL_WEEKS, Segment, SliceScore
from evalkit.report import fmt
from evalkit.run_folder import LoadedRun

Slice = tuple[str, str, str]  # (task, pair, field)

FIELD_ORDER = {"title": 0, "summary": 1, "abstract": 2, "summarize": 3}
TASK_ORDER = {"translation": 0, "summarization": 1}


def slice_sort_key(s: Slice) -> tuple[Any, ...]:
    task, pair, fld = s
    return (TASK_ORDER.get(task, 9), task, pair, FIELD_ORDER.get(fld, 9), fld)


def segment_metric(segments: Iterable[Segment], metrics: Sequence[str]) -> str | None:
    """The metric that ranks single segments: the preferred one that segments carry."""
    present: set[str] = set()
    for seg in segments:
        present.update(seg.scores)
    for m in fmt.SEGMENT_METRIC_PREFERENCE:
        if m in present:
            return m
    for m in metrics:
        if m in present:
            return m
    return sorted(present)[0] if present else None


@dataclass(frozen=True)
class Worst:
    """The lowest-scoring segments of one task and pair in one week."""

    task: str
    pair: str
    metric: str
    segments: list[Segment] = field(default_factory=list)


class RunView:
    """Read-only accessors over a :class:`~evalkit.run_folder.LoadedRun` for the writers."""

    def __init__(self, run: LoadedRun, *, worst_k: int = 3):
        self.run = run
        self.record = run.record
        self.worst_k = worst_k
        self._scores: dict[tuple[str, str, str, str, str], SliceScore] = {
            s.key: s for s in run.record.scores
        }

    @property
    def run_id(self) -> str:
        return self.run.run_id

    @cached_property
    def metrics(self) -> list[str]:
        """Metrics in the order the run selected them."""
        seen = [s[4] for s in self._scores]
        chosen = [*self.record.selection.metrics, *self.record.signatures]
        out: list[str] = []
        for m in chosen + seen:
            if m in seen and m not in out:
                out.append(m)
        return out

    @cached_property
    def weeks(self) -> list[str]:
        """Weeks with scores, chronological (ISO week labels sort correctly)."""
        return sorted({k[0] for k in self._scores if k[0] != ALL_WEEKS})

    @cached_property
    def slices(self) -> list[Slice]:
        return sorted({(k[1], k[2], k[3]) for k in self._scores}, key=slice_sort_key)

    @cached_property
    def digits(self) -> dict[str, int]:
        return {m: fmt.metric_digits(m) for m in self.metrics}

    def score(self, week: str, sl: Slice, metric: str) -> SliceScore | None:
        return self._scores.get((week, *sl, metric))

    def slices_in(self, week: str) -> list[Slice]:
        return [sl for sl in self.slices if any(self.score(week, sl, m) for m in self.metrics)]

    def n(self, week: str, sl: Slice) -> int | None:
        for m in self.metrics:
            s = self.score(week, sl, m)
            if s is not None:
                return s.n
        return None

    @cached_property
    def series_keys(self) -> list[tuple[str, str]]:
        """(metric, pair) of each chart."""
        pairs = sorted({sl[1] for sl in self.slices})
        return [
            (m, p) for m in self.metrics for p in pairs if any(sl[1] == p for sl in self.slices)
        ]

    def week_range(self, week: str) -> str:
        info = self.record.dataset.weeks.get(week)
        if info is None or not info.start or not info.end:
            return ""
        return f"{info.start} – {info.end}"

    @cached_property
    def _by_week(self) -> dict[str, list[Segment]]:
        out: dict[str, list[Segment]] = defaultdict(list)
        for seg in self.run.segments:
            out[seg.week].append(seg)
        return out

    def papers(self, week: str) -> list[tuple[str, str]]:
        """``(paper_id, English title or id)`` of the week's papers, in id order."""
        titles: dict[str, str] = {}
        for seg in self._by_week.get(week, []):
            pid = seg.paper_id
            titles.setdefault(pid, pid)
            if seg.field == "title":
                if seg.src_lang == "en":
                    titles[pid] = seg.source
                elif seg.tgt_lang == "en" and titles[pid] == pid:
                    titles[pid] = seg.reference
        return sorted(titles.items())

    def paper_count(self, week: str) -> int:
        info = self.record.dataset.weeks.get(week)
        return info.papers if info is not None else len(self.papers(week))

    @cached_property
    def segment_metric(self) -> str | None:
        return segment_metric(self.run.segments, self.metrics)

    def worst(self, week: str) -> list[Worst]:
        """The ``worst_k`` lowest segments per task and pair (highest for lower-better metrics)."""
        metric = self.segment_metric
        if metric is None:
            return []
        sign = 1.0 if fmt.higher_is_better(metric) else -1.0
        groups: dict[tuple[str, str], list[Segment]] = defaultdict(list)
        for seg in self._by_week.get(week, []):
            if seg.scores.get(metric) is not None:
                groups[(seg.task, seg.pair)].append(seg)
        out = []
        for (task, pair), segs in sorted(
            groups.items(), key=lambda kv: (TASK_ORDER.get(kv[0][0], 9), kv[0])
        ):
            segs.sort(key=lambda s: (sign * float(s.scores[metric] or 0.0), s.id))
            out.append(Worst(task, pair, metric, segs[: self.worst_k]))
        return out

    def signatures(self) -> list[tuple[str, str, str]]:
        """``(metric, target language, signature)`` rows."""
        return [
            (metric, lang, sig)
            for metric, by_lang in sorted(self.record.signatures.items())
            for lang, sig in sorted(by_lang.items())
        ]

    def system_name(self) -> str:
        return self.record.system_name

"""A comparison of runs, typed: what ``comparison.json`` holds and the renderers read.

Built by :func:`evalkit.report.compare.build`; :meth:`Comparison.to_dict` is the layout
of ``comparison.json`` (its field names are public). Index 0 of every per-run tuple is
the first run, the baseline of every difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evalkit.records import WeekInfo
from evalkit.scorers.facts import MetricFacts, metric_facts

if TYPE_CHECKING:  # the engine imports numpy; this module is read without it
    from evalkit.check.engine import TestSettings

SCHEMA_VERSION = 1
_TEST_NAMES = {"bs": "paired bootstrap", "ar": "paired approximate randomization"}


@dataclass(frozen=True)
class ComparedRun:
    """One compared run: its id, folder, system spec and creation time."""

    run_id: str
    path: str
    system: dict[str, Any]
    created: str

    @property
    def system_name(self) -> str:
        return str(self.system.get("name") or self.system.get("kind") or "?")

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "path": self.path,
            "system": dict(self.system),
            "created": self.created,
        }


@dataclass(frozen=True)
class Difference:
    """One run against the first on one slice: ``candidate - first`` and its test.

    ``change`` is the difference by the metric's direction (positive: better).
    """

    delta: float
    change: float
    p_value: float
    significant: bool


@dataclass(frozen=True)
class Row:
    """One slice and metric: every run's score, and each other run's difference."""

    week: str
    task: str
    pair: str
    field: str
    metric: str
    n: int
    #: Per run: the slice score and its recorded 95% interval (None: none recorded).
    scores: tuple[float, ...]
    ci95: tuple[tuple[float, float] | None, ...]
    #: Per run after the first (run k is ``diffs[k - 1]``).
    diffs: tuple[Difference, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "task": self.task,
            "pair": self.pair,
            "field": self.field,
            "metric": self.metric,
            "n": self.n,
            "scores": list(self.scores),
            "ci95": [list(ci) if ci is not None else None for ci in self.ci95],
            "deltas": [None] + [d.delta for d in self.diffs],
            "changes": [None] + [d.change for d in self.diffs],
            "p_values": [None] + [d.p_value for d in self.diffs],
            "significant": [False] + [d.significant for d in self.diffs],
        }


@dataclass(frozen=True)
class DifferingSegment:
    """A segment whose score differs between the first run and another."""

    id: str
    week: str
    task: str
    pair: str
    field: str
    source: str
    reference: str
    #: The first run's output and the other run's; their segment scores.
    outputs: tuple[str, str]
    scores: tuple[float, float]

    @property
    def delta(self) -> float:
        return self.scores[1] - self.scores[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "week": self.week,
            "task": self.task,
            "pair": self.pair,
            "field": self.field,
            "source": self.source,
            "reference": self.reference,
            "outputs": list(self.outputs),
            "scores": list(self.scores),
            "delta": self.delta,
        }


@dataclass(frozen=True)
class Differing:
    """The segments of one run that differ most from the first run's, by ``metric``."""

    run: str
    metric: str
    segments: tuple[DifferingSegment, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "metric": self.metric,
            "higher_is_better": metric_facts(self.metric).higher_is_better,
            "segments": [s.to_dict() for s in self.segments],
        }


@dataclass(frozen=True)
class Comparison:
    """Runs of several systems compared on the same examples.

    Attributes:
        runs: The runs, the first being the baseline of every difference.
        dataset_fingerprint: The first run's dataset.
        dataset_weeks: The first run's dates and papers of each compared week.
        examples_count: Segments of the first run.
        test: The paired test.
        metrics: The compared metrics, in row order.
        weeks: The compared weeks, chronological.
        rows: Every slice and metric, weeks first and the all-weeks totals last.
        differing: Per run after the first, its segments that differ most.
        warnings: What the runs differ in without preventing the comparison.
    """

    runs: tuple[ComparedRun, ...]
    dataset_fingerprint: str
    dataset_weeks: dict[str, WeekInfo | None]
    examples_count: int
    test: TestSettings
    metrics: tuple[str, ...]
    weeks: tuple[str, ...]
    rows: tuple[Row, ...]
    differing: tuple[Differing, ...]
    warnings: tuple[str, ...]

    @property
    def run_ids(self) -> list[str]:
        return [r.run_id for r in self.runs]

    @property
    def test_name(self) -> str:
        """``paired bootstrap`` or ``paired approximate randomization``."""
        return _TEST_NAMES[self.test.method]

    def facts(self, metric: str) -> MetricFacts:
        """What the metric's scorer declares (label, direction, digits)."""
        return metric_facts(metric)

    @property
    def digits(self) -> int:
        """One precision for every number of a score column (the most any metric needs)."""
        return max([self.facts(m).digits for m in self.metrics] or [2])

    def rows_of(self, week: str) -> list[Row]:
        return [r for r in self.rows if r.week == week]

    def to_dict(self) -> dict[str, Any]:
        metrics = list(self.metrics)
        return {
            "schema_version": SCHEMA_VERSION,
            "runs": [r.to_dict() for r in self.runs],
            "dataset": {
                "fingerprint": self.dataset_fingerprint,
                "weeks": {
                    w: info.to_dict() if info is not None else None
                    for w, info in self.dataset_weeks.items()
                },
            },
            "examples": {"count": self.examples_count},
            "bootstrap": {
                "n_resamples": self.test.samples,
                "seed": self.test.seed,
                "alpha": self.test.alpha,
                "test": self.test_name,
            },
            "test": self.test.to_dict(),
            "metrics": metrics,
            "higher_is_better": {m: self.facts(m).higher_is_better for m in metrics},
            "better": {m: self.facts(m).better for m in metrics},
            "labels": {m: self.facts(m).label for m in metrics},
            "digits": {m: self.facts(m).digits for m in metrics},
            "weeks": list(self.weeks),
            "rows": [r.to_dict() for r in self.rows],
            "differing_segments": [d.to_dict() for d in self.differing],
            "warnings": list(self.warnings),
        }

"""Compare a run with a baseline, slice by slice and metric by metric.

The comparison itself is :mod:`evalkit.check.engine` (shared with ``evalkit report A
B``); the gate adds the tolerance of each metric (``max_drop``, from its scorer's facts,
``evalkit.toml`` or ``--max-drop``) and the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evalkit import __version__
from evalkit.baseline import Baseline
from evalkit.check.comparable import differences
from evalkit.check.engine import (
    DEFAULT_ALPHA,
    DEFAULT_SEED,
    MIN_SEGMENTS,
    TestSettings,
    compare_sides,
    new_week_rows,
)
from evalkit.check.inputs import side_of
from evalkit.check.tolerance import default_max_drop
from evalkit.errors import IncomparableError
from evalkit.resample import DEFAULT_RESAMPLES
from evalkit.runfiles import LoadedRun

SCHEMA_VERSION = 1

REGRESSION, IMPROVEMENT, OK, NEW = "regression", "improvement", "ok", "new"

__all__ = [
    "DEFAULT_ALPHA",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "MIN_SEGMENTS",
    "SCHEMA_VERSION",
    "CheckResult",
    "CheckedSide",
    "SliceResult",
    "compare",
]


@dataclass(frozen=True)
class SliceResult:
    """The comparison of one slice for one metric.

    ``delta`` is ``candidate - baseline`` in the metric's units; ``change`` is how much
    better the candidate is, in the same units and by the metric's direction (its
    scorer's facts): ``delta``, ``-delta`` for lower-is-better metrics (TER), the
    decrease of the distance to ``target`` for metrics that have one (length ratio).
    For ``new`` slices only ``candidate`` and ``n`` are set.
    """

    week: str
    task: str
    pair: str
    field: str
    metric: str
    status: str
    n: int
    candidate: float
    max_drop: float
    higher_is_better: bool
    baseline: float | None = None
    delta: float | None = None
    change: float | None = None
    ci95: tuple[float, float] | None = None
    p_value: float | None = None
    target: float | None = None
    note: str = ""
    direction: str = "higher"
    significant: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["ci95"] = list(self.ci95) if self.ci95 is not None else None
        return d

    @property
    def name(self) -> str:
        return f"{self.week} {self.task} {self.pair} {self.field} {self.metric}"


@dataclass(frozen=True)
class CheckedSide:
    """The baseline or the run a check compared, as the check's JSON names it.

    Attributes:
        path: The baseline file or the run folder.
        run_id: The run id (None: a baseline that records none).
        system: The recorded system spec (secrets removed).
        dataset_fingerprint: Fingerprint of the dataset it was made on.
    """

    path: str
    run_id: str | None
    system: Any
    dataset_fingerprint: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "run_id": self.run_id,
            "system": self.system,
            "dataset_fingerprint": self.dataset_fingerprint,
        }


@dataclass(frozen=True)
class CheckResult:
    """Everything ``evalkit check`` found; :attr:`exit_code` is 1 on any regression."""

    baseline: CheckedSide
    run: CheckedSide
    alpha: float
    n_resamples: int
    seed: int
    max_drop: dict[str, float]
    slices: list[SliceResult]
    new_weeks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    test: TestSettings = field(default_factory=TestSettings)

    def count(self, status: str) -> int:
        return sum(1 for s in self.slices if s.status == status)

    @property
    def regressions(self) -> list[SliceResult]:
        return [s for s in self.slices if s.status == REGRESSION]

    @property
    def exit_code(self) -> int:
        return 1 if self.regressions else 0

    def to_dict(self) -> dict[str, Any]:
        test = self.test.to_dict()
        # 0.1.0 readers find the bootstrap's resample count under n_resamples.
        test["n_resamples"] = test["n_samples"]
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "evalkit-check",
            "evalkit_version": __version__,
            "status": "fail" if self.exit_code else "pass",
            "exit_code": self.exit_code,
            "baseline": self.baseline.to_dict(),
            "run": self.run.to_dict(),
            "test": test,
            "max_drop": dict(self.max_drop),
            "counts": {s: self.count(s) for s in (REGRESSION, IMPROVEMENT, OK, NEW)},
            "new_weeks": list(self.new_weeks),
            "notes": list(self.notes),
            "slices": [s.to_dict() for s in self.slices],
        }


def _status(change: float, significant: bool, tol: float) -> str:
    if significant and change < -tol:
        return REGRESSION
    if significant and change > tol:
        return IMPROVEMENT
    return OK


def compare(
    baseline: Baseline,
    run: LoadedRun,
    *,
    max_drop: Mapping[str, float] | None = None,
    alpha: float = DEFAULT_ALPHA,
    n_resamples: int | None = None,
    seed: int = DEFAULT_SEED,
    method: str = "bs",
) -> CheckResult:
    """Compare ``run`` with ``baseline``, slice by slice, metric by metric.

    Args:
        baseline: The baseline.
        run: The candidate run.
        max_drop: Tolerance per metric (see :func:`resolve_max_drop`); metrics not in it
            take their scorer's ``max_drop``.
        alpha: Significance level of the paired test.
        n_resamples: Bootstrap resamples or randomization trials per slice (None:
            sacrebleu's default of the test, 1,000 or 10,000).
        seed: Generator seed (the same for every slice).
        method: ``bs`` (paired bootstrap) or ``ar`` (approximate randomization).

    Raises:
        IncomparableError: listing every difference that prevents the comparison, or
            the slices that could not be checked.
    """
    settings = TestSettings(method, n_resamples, seed, alpha).validated()
    first, other = side_of(baseline, "baseline"), side_of(run, "run")
    _, notes, new_weeks = differences(first, other)
    metrics = first.metrics
    tolerances = {m: float((max_drop or {}).get(m, default_max_drop(m))) for m in metrics}
    slices = []
    for c in compare_sides(first, other, settings):
        res, tol = c.result, tolerances[c.metric]
        status = _status(c.change, c.significant, tol)
        note = c.note
        if not note and status == OK:
            if abs(c.change) > tol:
                note = "not significant"
            elif c.significant:
                note = "within tolerance"
        slices.append(
            SliceResult(
                *c.key,
                metric=c.metric,
                status=status,
                n=c.n,
                candidate=res.candidate,
                max_drop=tol,
                higher_is_better=c.facts.higher_is_better,
                baseline=res.baseline,
                delta=res.delta,
                change=c.change,
                ci95=res.ci95,
                p_value=res.p_value,
                target=c.facts.target,
                note=note,
                direction=c.facts.direction,
                significant=c.significant,
            )
        )
    for key, metric, n, score in new_week_rows(other, new_weeks, metrics, first):
        from evalkit.scorers.facts import metric_facts

        facts = metric_facts(metric)
        slices.append(
            SliceResult(
                *key,
                metric=metric,
                status=NEW,
                n=n,
                candidate=score,
                max_drop=tolerances[metric],
                higher_is_better=facts.higher_is_better,
                target=facts.target,
                note="not in the baseline",
                direction=facts.direction,
            )
        )
    if not slices:
        raise IncomparableError(f"baseline {baseline.name} has no slice to check")
    return CheckResult(
        baseline=CheckedSide(
            path=baseline.name,
            run_id=baseline.run_id,
            system=baseline.system,
            dataset_fingerprint=baseline.dataset_fingerprint,
        ),
        run=CheckedSide(
            path=str(run.path),
            run_id=run.run_id,
            system=dict(run.record.system),
            dataset_fingerprint=run.record.dataset.fingerprint,
        ),
        alpha=alpha,
        n_resamples=settings.samples,
        seed=seed,
        max_drop=tolerances,
        slices=slices,
        new_weeks=new_weeks,
        notes=notes,
        test=settings,
    )

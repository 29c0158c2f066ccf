"""Compare a run with a baseline, slice by slice and metric by metric."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evalkit import __version__
from evalkit.baseline import Baseline, segment_week
from evalkit.check.comparable import differences
from evalkit.check.tolerance import default_max_drop
from evalkit.errors import ConfigError, IncomparableError
from evalkit.runfiles import ALL_WEEKS, LoadedRun

SCHEMA_VERSION = 1
DEFAULT_ALPHA = 0.05
DEFAULT_SEED = 12345
DEFAULT_RESAMPLES = 1000
#: A slice needs this many segments for the paired bootstrap to mean anything: with
#: one segment every resample is the same and any difference would look significant.
MIN_SEGMENTS = 2
#: Metrics with an ideal value rather than a direction: moving away from it is worse
#: (a length ratio falling to 0.97 or rising to 1.03 are both 0.03 worse than 1.0).
TARGET_VALUES: dict[str, float] = {"length_ratio": 1.0}

REGRESSION, IMPROVEMENT, OK, NEW = "regression", "improvement", "ok", "new"


@dataclass(frozen=True)
class SliceResult:
    """The comparison of one slice for one metric.

    ``delta`` is ``candidate - baseline`` in the metric's units; ``change`` is how much
    better the candidate is, in the same units: ``delta``, ``-delta`` for lower-is-better
    metrics (TER), the decrease of the distance to ``target`` for metrics that have one
    (:data:`TARGET_VALUES`). For ``new`` slices only ``candidate`` and ``n`` are set.
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

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["ci95"] = list(self.ci95) if self.ci95 is not None else None
        return d

    @property
    def name(self) -> str:
        return f"{self.week} {self.task} {self.pair} {self.field} {self.metric}"


@dataclass(frozen=True)
class CheckResult:
    """Everything ``evalkit check`` found; :attr:`exit_code` is 1 on any regression."""

    baseline: dict[str, Any]
    run: dict[str, Any]
    alpha: float
    n_resamples: int
    seed: int
    max_drop: dict[str, float]
    slices: list[SliceResult]
    new_weeks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for s in self.slices if s.status == status)

    @property
    def regressions(self) -> list[SliceResult]:
        return [s for s in self.slices if s.status == REGRESSION]

    @property
    def exit_code(self) -> int:
        return 1 if self.regressions else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "evalkit-check",
            "evalkit_version": __version__,
            "status": "fail" if self.exit_code else "pass",
            "exit_code": self.exit_code,
            "baseline": self.baseline,
            "run": self.run,
            "test": {
                "method": "paired-bootstrap",
                "n_resamples": self.n_resamples,
                "seed": self.seed,
                "alpha": self.alpha,
                "min_segments": MIN_SEGMENTS,
            },
            "max_drop": dict(self.max_drop),
            "counts": {s: self.count(s) for s in (REGRESSION, IMPROVEMENT, OK, NEW)},
            "new_weeks": list(self.new_weeks),
            "notes": list(self.notes),
            "slices": [s.to_dict() for s in self.slices],
        }


def compare(
    baseline: Baseline,
    run: LoadedRun,
    *,
    max_drop: Mapping[str, float] | None = None,
    alpha: float = DEFAULT_ALPHA,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> CheckResult:
    """Compare ``run`` with ``baseline``, slice by slice, metric by metric.

    Args:
        baseline: The baseline.
        run: The candidate run.
        max_drop: Tolerance per metric (see :func:`resolve_max_drop`); metrics not in it
            take the defaults.
        alpha: Significance level of the paired bootstrap test.
        n_resamples: Bootstrap resamples per slice.
        seed: Bootstrap seed (the same for every slice).

    Raises:
        IncomparableError: listing every difference that prevents the comparison.
    """
    if not 0 < alpha < 1:
        raise ConfigError(f"--alpha {alpha}: expected a number between 0 and 1")
    reasons, notes, new_weeks = differences(baseline, run)
    if reasons:
        raise IncomparableError(
            f"cannot compare run {run.path} with baseline {baseline.name}: " + "; ".join(reasons)
        )
    metrics = sorted(baseline.metrics)
    tolerances = {m: float((max_drop or {}).get(m, default_max_drop(m))) for m in metrics}
    slices = _compare_slices(baseline, run, tolerances, alpha, n_resamples, seed)
    slices += _new_slices(run, new_weeks, metrics, tolerances)
    return CheckResult(
        baseline={
            "path": baseline.name,
            "run_id": (baseline.data.get("run") or {}).get("run_id"),
            "system": baseline.data.get("system"),
            "dataset_fingerprint": baseline.dataset_fingerprint,
        },
        run={
            "path": str(run.path),
            "run_id": run.run_id,
            "system": run.meta.get("system"),
            "dataset_fingerprint": (run.meta.get("dataset") or {}).get("fingerprint"),
        },
        alpha=alpha,
        n_resamples=n_resamples,
        seed=seed,
        max_drop=tolerances,
        slices=slices,
        new_weeks=new_weeks,
        notes=notes,
    )


def _compare_slices(
    baseline: Baseline,
    run: LoadedRun,
    tolerances: Mapping[str, float],
    alpha: float,
    n_resamples: int,
    seed: int,
) -> list[SliceResult]:
    import numpy as np

    from evalkit.scorers import get_scorer, recorded_options
    from evalkit.slices import group_by_slice
    from evalkit.stats import paired_bootstrap

    base_segments = baseline.segments()
    cand = {str(s["id"]): s for s in run.segments}
    out = []
    for key, idx in group_by_slice(base_segments).items():
        week, task, pair, field_ = key
        for metric in sorted(tolerances):
            rows = [i for i in idx if metric in base_segments[i]["stats"]]
            if not rows:
                continue
            scorer = get_scorer(
                metric, lang=pair.split("-")[1], **recorded_options(baseline.data, metric)
            )
            a = np.asarray([base_segments[i]["stats"][metric] for i in rows], dtype=np.float64)
            b = np.asarray(
                [cand[base_segments[i]["id"]]["stats"][metric] for i in rows], dtype=np.float64
            )
            res = paired_bootstrap(scorer, a, b, n_resamples=n_resamples, seed=seed)
            hib = bool(scorer.higher_is_better)
            target = TARGET_VALUES.get(metric)
            if target is not None:
                change = abs(res.baseline - target) - abs(res.candidate - target)
            else:
                change = res.delta if hib else -res.delta
            tol = tolerances[metric]
            status, note = OK, ""
            if len(rows) < MIN_SEGMENTS:
                note = f"{len(rows)} segment: too few to test"
            elif res.p_value < alpha and change < -tol:
                status = REGRESSION
            elif res.p_value < alpha and change > tol:
                status = IMPROVEMENT
            elif abs(change) > tol:
                note = "not significant"
            elif res.p_value < alpha and change != 0:
                note = "within tolerance"
            out.append(
                SliceResult(
                    week=week,
                    task=task,
                    pair=pair,
                    field=field_,
                    metric=metric,
                    status=status,
                    n=len(rows),
                    candidate=res.candidate,
                    max_drop=tol,
                    higher_is_better=hib,
                    baseline=res.baseline,
                    delta=res.delta,
                    change=change,
                    target=target,
                    ci95=res.ci95,
                    p_value=res.p_value,
                    note=note,
                )
            )
    return out


def _new_slices(
    run: LoadedRun,
    new_weeks: Sequence[str],
    metrics: Sequence[str],
    tolerances: Mapping[str, float],
) -> list[SliceResult]:
    import numpy as np

    from evalkit.scorers import get_scorer, recorded_options
    from evalkit.slices import group_by_slice
    from evalkit.stats import point_score

    segments = [s for s in run.segments if segment_week(s) in set(new_weeks)]
    out = []
    for key, idx in group_by_slice(segments).items():
        if key[0] == ALL_WEEKS:
            continue
        for metric in metrics:
            rows = [
                segments[i]["stats"][metric]
                for i in idx
                if metric in (segments[i].get("stats") or {})
            ]
            if not rows:
                continue
            lang = key[2].split("-")[1]
            scorer = get_scorer(metric, lang=lang, **recorded_options(run.meta, metric))
            totals = np.asarray(rows, dtype=np.float64).sum(axis=0)
            score = point_score(scorer, totals)
            out.append(
                SliceResult(
                    week=key[0],
                    task=key[1],
                    pair=key[2],
                    field=key[3],
                    metric=metric,
                    status=NEW,
                    n=len(rows),
                    candidate=score,
                    max_drop=tolerances[metric],
                    higher_is_better=bool(scorer.higher_is_better),
                    target=TARGET_VALUES.get(metric),
                    note="not in the baseline",
                )
            )
    return out

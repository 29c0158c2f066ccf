"""The one comparison engine of ``evalkit check`` and ``evalkit report A B``.

Given a first side (a baseline, or the first run) and another run, both as
:class:`~evalkit.check.inputs.Side`:

1. :func:`differences` decides whether they can be compared (the rules are in
   :mod:`evalkit.check.comparable`), the same for the gate and for reports;
2. :func:`compare_sides` compares every slice of the first side (week x task x pair x
   field, and the all-weeks totals) for every metric of the first side, with the same
   paired test (:func:`evalkit.paired.paired_test`: ``bs`` by default, or ``ar``);
3. a difference is *significant* when ``p < alpha``, the slice has at least
   :data:`MIN_SEGMENTS` segments and the candidate is better or worse by the metric's
   own direction (:func:`evalkit.scorers.facts.metric_facts`): a length ratio moving
   away from its target of 1 is worse whichever way it moves.

Nothing is silently skipped: a slice whose scores, delta, interval or p-value are not
finite numbers raises :class:`~evalkit.errors.IncomparableError` naming it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from evalkit.check.comparable import differences
from evalkit.check.inputs import Side, SliceKey
from evalkit.errors import IncomparableError
from evalkit.paired import (
    BOOTSTRAP,
    DEFAULT_SAMPLES,
    METHODS,
    NAMES,
    PairedResult,
    check_method,
)
from evalkit.paper import target_of
from evalkit.resample import DEFAULT_SEED
from evalkit.runfiles import ALL_WEEKS
from evalkit.scorers.facts import MetricFacts, metric_facts

DEFAULT_ALPHA = 0.05
#: A slice needs this many segments for a paired test to mean anything: with one
#: segment every resample is the same and any difference would look significant.
MIN_SEGMENTS = 2

__all__ = [
    "DEFAULT_ALPHA",
    "DEFAULT_SEED",
    "MIN_SEGMENTS",
    "SliceComparison",
    "TestSettings",
    "compare_sides",
    "differences",
    "group_slices",
]


@dataclass(frozen=True)
class TestSettings:
    """Which paired test, how many samples, which seed, what alpha."""

    method: str = BOOTSTRAP
    n_samples: int | None = None
    seed: int = DEFAULT_SEED
    alpha: float = DEFAULT_ALPHA

    @property
    def samples(self) -> int:
        return DEFAULT_SAMPLES[self.method] if self.n_samples is None else self.n_samples

    def to_dict(self) -> dict[str, object]:
        return {
            "method": NAMES[self.method],
            "n_samples": self.samples,
            "seed": self.seed,
            "alpha": self.alpha,
            "min_segments": MIN_SEGMENTS,
            "signature": f"{METHODS[self.method]}-{self.samples}|seed:{self.seed}",
        }

    def validated(self) -> TestSettings:
        from evalkit.errors import ConfigError
        from evalkit.resample import check_seed

        check_method(self.method)
        check_seed(self.seed, what="--seed")
        if not (isinstance(self.alpha, float | int) and 0 < self.alpha < 1):
            raise ConfigError(f"--alpha {self.alpha}: expected a number between 0 and 1")
        if self.samples < 1:
            raise ConfigError(f"paired test samples must be at least 1, got {self.samples}")
        return self


@dataclass(frozen=True)
class SliceComparison:
    """One slice, one metric: the first side against the other.

    ``change`` is how much better the other side is, in the metric's units and by its
    direction (:meth:`MetricFacts.improvement`); ``significant`` is ``p < alpha`` with
    enough segments and a non-zero change.
    """

    key: SliceKey
    metric: str
    facts: MetricFacts
    n: int
    result: PairedResult
    change: float
    significant: bool
    note: str = ""


def group_slices(side: Side) -> dict[SliceKey, list[int]]:
    """Example indices per slice (each week, and the all-weeks totals), stable order."""
    groups: dict[SliceKey, list[int]] = defaultdict(list)
    for i, key in enumerate(side.slices):
        groups[key].append(i)
        groups[(ALL_WEEKS,) + key[1:]].append(i)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0][0] == ALL_WEEKS, kv[0])))


def _finite(*values: float | None) -> bool:
    return all(v is not None and math.isfinite(v) for v in values)


def compare_sides(first: Side, other: Side, settings: TestSettings) -> list[SliceComparison]:
    """Every slice of ``first`` for every metric of ``first``, tested against ``other``.

    Raises:
        IncomparableError: when the two cannot be compared (every reason listed), or a
            slice could not be checked (a non-finite score, delta, interval or p-value).
    """
    import numpy as np

    from evalkit.paired import paired_test
    from evalkit.scorers import get_scorer

    settings = settings.validated()
    reasons, _, _ = differences(first, other)
    if reasons:
        raise IncomparableError(
            f"cannot compare {other.role} {other.name} with {first.role} {first.name}: "
            + "; ".join(reasons)
        )
    position = {ex_id: i for i, ex_id in enumerate(other.ids)}
    out: list[SliceComparison] = []
    unchecked: list[str] = []
    for key, idx in group_slices(first).items():
        tgt = target_of(key[2])
        for metric in first.metrics:
            rows = [i for i in idx if first.stats[metric][i] is not None]
            if not rows:
                unchecked.append(f"{' '.join(key)} {metric} (no statistics)")
                continue
            a = np.asarray([first.stats[metric][i] for i in rows], dtype=np.float64)
            b = np.asarray(
                [other.stats[metric][position[first.ids[i]]] for i in rows], dtype=np.float64
            )
            scorer = get_scorer(metric, lang=tgt, **dict(first.scorer_options.get(metric) or {}))
            with np.errstate(all="ignore"):
                res = paired_test(
                    settings.method, scorer, a, b, n_samples=settings.samples, seed=settings.seed
                )
            facts = metric_facts(metric)
            change = facts.improvement(res.baseline, res.candidate)
            ci = res.ci95 or (0.0, 0.0)
            if not _finite(res.baseline, res.candidate, res.delta, change, res.p_value, *ci):
                unchecked.append(
                    f"{' '.join(key)} {metric} (baseline {res.baseline}, "
                    f"candidate {res.candidate}: not finite)"
                )
                continue
            enough = len(rows) >= MIN_SEGMENTS
            note = "" if enough else f"{len(rows)} segment: too few to test"
            significant = enough and res.p_value < settings.alpha and change != 0
            out.append(
                SliceComparison(key, metric, facts, len(rows), res, change, significant, note)
            )
    if not out and not unchecked:
        raise IncomparableError(f"{first.role} {first.name} has no slice to compare")
    if unchecked:
        raise IncomparableError(
            f"could not check {len(unchecked)} slice(s) of {first.role} {first.name}: "
            + "; ".join(unchecked[:5])
            + (f"; and {len(unchecked) - 5} more" if len(unchecked) > 5 else "")
        )
    return out


def new_week_rows(
    other: Side, new_weeks: Sequence[str], metrics: Sequence[str], options: Side
) -> list[tuple[SliceKey, str, int, float]]:
    """Scores of ``other`` in weeks ``first`` lacks: (slice, metric, n, score), not tested."""
    import numpy as np

    from evalkit.resample import point_score
    from evalkit.scorers import get_scorer

    groups: dict[SliceKey, list[int]] = defaultdict(list)
    for i, key in enumerate(other.slices):
        if key[0] in set(new_weeks):
            groups[key].append(i)
    out = []
    for key, idx in sorted(groups.items()):
        for metric in metrics:
            rows = [other.stats[metric][i] for i in idx if other.stats[metric][i] is not None]
            if not rows:
                continue
            opts = dict(options.scorer_options.get(metric) or {})
            scorer = get_scorer(metric, lang=target_of(key[2]), **opts)
            score = point_score(scorer, np.asarray(rows, dtype=np.float64).sum(axis=0))
            out.append((key, metric, len(rows), score))
    return out

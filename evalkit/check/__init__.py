"""The CI regression gate: compare a run with a committed baseline, slice by slice.

Every slice the baseline has (week x task x pair x field, and the all-weeks totals) is
compared for every metric with a paired test on the segment statistics, sacrebleu's
paired bootstrap (``bs``, 1,000 resamples, seeded; the default) or approximate
randomization (``ar``, 10,000 trials) from :mod:`evalkit.paired`. A slice *regresses*
when its score gets worse by more than the metric's tolerance (``max_drop``) **and** the
difference is significant at ``alpha``; it *improves* when it gets better by more than
the tolerance and the difference is significant. Either condition alone is not enough:
the tolerance keeps tiny significant changes from blocking anyone, the test keeps noisy
slices from failing on chance.

The all-weeks totals compare the examples the baseline has: weeks that are new in the
run are reported on their own (status ``new``) and are not part of the totals.

A run and a baseline are comparable when they score the same examples with the same
metric signatures on the same dataset. The one tolerated difference is new weeks:
the dataset fingerprint may then differ, provided every baseline example is in the run
with identical source and reference text. Anything else raises
:class:`~evalkit.errors.IncomparableError` with every difference found.

Every slice and metric of the baseline is checked, or the check fails (exit 2) saying
what it could not check.

Modules: :mod:`~evalkit.check.inputs` (the one adapter from runs and baselines),
:mod:`~evalkit.check.comparable` (can the two be compared),
:mod:`~evalkit.check.engine` (the comparison, shared with ``evalkit report A B``),
:mod:`~evalkit.check.tolerance` (max drop per metric), :mod:`~evalkit.check.gate`
(the verdict), :mod:`~evalkit.check.report` (text, JSON, JUnit, Markdown).
"""

from evalkit.check.comparable import differences
from evalkit.check.gate import (
    DEFAULT_ALPHA,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    MIN_SEGMENTS,
    SCHEMA_VERSION,
    CheckResult,
    SliceResult,
    compare,
)
from evalkit.check.tolerance import (
    config_max_drop,
    default_max_drop,
    parse_max_drop,
    resolve_max_drop,
)


def __getattr__(name: str) -> object:
    # Deprecated alias: tolerances are declared on the scorer classes.
    if name == "DEFAULT_MAX_DROP":
        from evalkit.check import tolerance

        return tolerance.DEFAULT_MAX_DROP
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_ALPHA",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "MIN_SEGMENTS",
    "SCHEMA_VERSION",
    "CheckResult",
    "SliceResult",
    "compare",
    "config_max_drop",
    "default_max_drop",
    "differences",
    "parse_max_drop",
    "resolve_max_drop",
]

"""Run a system the way a baseline's run was made, for ``evalkit check --system``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evalkit.baseline import Baseline


def run_options(
    baseline: Baseline,
    system: str,
    *,
    dataset: str | None = None,
    results: str = "results",
    reports: bool = True,
) -> Any:
    """:class:`evalkit.run.RunOptions` repeating the baseline's selection for ``system``.

    Tasks, pairs, fields, weeks, metrics, scorer options and bootstrap settings come
    from the baseline (a baseline over all weeks runs over all weeks, new ones included),
    never from today's ``evalkit.toml``: the run must be scored as the baseline was. The
    dataset is ``dataset``, else the baseline's source when it was a path, else the
    bundled one.
    """
    from evalkit.run import RunOptions
    from evalkit.segments import DEFAULT_METRICS

    sel: dict[str, Any] = dict(baseline.selection or {})
    boot: dict[str, Any] = dict(baseline.bootstrap or {})
    tasks = sel.get("tasks")
    by_task = sel.get("metrics_by_task") or {}
    defaults = {t: list(DEFAULT_METRICS.get(t, ())) for t in tasks or ()}
    # RunOptions takes one metric list for every task: keep each task's defaults when
    # that is what the baseline used, so no task gains metrics it never had.
    metrics = None if by_task == defaults else sel.get("metrics")
    source = (baseline.dataset or {}).get("source")
    if dataset is None and source not in (None, "bundled"):
        dataset = str(source)
    return RunOptions(
        system=system,
        dataset=dataset,
        results=results,
        tasks=list(tasks) if tasks else None,
        pairs=sel.get("pairs"),
        fields=sel.get("fields"),
        weeks=sel.get("weeks"),
        metrics=list(metrics) if metrics else None,
        seed=int(boot.get("seed", 12345)),
        n_resamples=int(boot.get("n_resamples", 1000)),
        reports=reports,
        scorer_options={m: dict(o) for m, o in (sel.get("scorer_options") or {}).items()},
    )


def run_like(baseline: Baseline, system: str, **options: Any) -> Path:
    """Run ``system`` as the baseline's run was made (answering from the output cache
    what it can, resuming an interrupted run) and return the run folder.

    Raises:
        EvalkitError: for a system that cannot be resolved or that fails.
    """
    from evalkit.run import execute

    return Path(execute(run_options(baseline, system, **options)).run_dir)

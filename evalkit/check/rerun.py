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
    from evalkit.resample import DEFAULT_RESAMPLES, DEFAULT_SEED
    from evalkit.run import RunOptions
    from evalkit.segments import DEFAULT_METRICS

    sel = baseline.selection
    tasks = list(sel.tasks) if sel is not None and sel.tasks else None
    by_task = {t: list(ms) for t, ms in sel.metrics_by_task.items()} if sel is not None else {}
    defaults = {t: list(DEFAULT_METRICS.get(t, ())) for t in tasks or ()}
    # RunOptions takes one metric list for every task: keep each task's defaults when
    # that is what the baseline used, so no task gains metrics it never had.
    metrics = None if sel is None or by_task == defaults else list(sel.metrics) or None
    source = baseline.dataset.source if baseline.dataset is not None else None
    if dataset is None and source not in (None, "", "bundled"):
        dataset = str(source)

    def listed(values: tuple[str, ...] | None) -> list[str] | None:
        return list(values) if values is not None else None

    return RunOptions(
        system=system,
        dataset=dataset,
        results=results,
        tasks=tasks,
        pairs=listed(sel.pairs) if sel is not None else None,
        fields=listed(sel.fields) if sel is not None else None,
        weeks=listed(sel.weeks) if sel is not None else None,
        metrics=metrics,
        seed=baseline.seed if baseline.seed is not None else DEFAULT_SEED,
        n_resamples=baseline.n_resamples if baseline.n_resamples is not None else DEFAULT_RESAMPLES,
        reports=reports,
        scorer_options=baseline.scorer_options,
    )


def run_like(baseline: Baseline, system: str, **options: Any) -> Path:
    """Run ``system`` as the baseline's run was made (answering from the output cache
    what it can, resuming an interrupted run) and return the run folder.

    Raises:
        EvalkitError: for a system that cannot be resolved or that fails.
    """
    from evalkit.run import execute

    return Path(execute(run_options(baseline, system, **options)).run_dir)

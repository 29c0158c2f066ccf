"""``evalkit run``: run a system over the dataset, score it, leave a run folder on disk.

The run id is a function of the command (system name, a hash of its spec and version,
the dataset fingerprint and the selection), so running the same command again finds
the same folder and resumes it; an unchanged system is answered from the cache.
"""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from evalkit import __version__
from evalkit.errors import ConfigError, DataError, SystemError_
from evalkit.io import safe_name, write_json, write_jsonl
from evalkit.runfiles import OUTPUTS_FILE, RUN_FILE, SEGMENTS_FILE
from evalkit.runner import (
    Failure,
    OutputCache,
    RunnerResult,
    run_system,
    short_hash,
    slug,
    system_key,
)
from evalkit.segments import DEFAULT_METRICS, build_segments
from evalkit.systems.base import Request, System
from evalkit.systems.secrets import redact

RUNS_DIR = "runs"
CACHE_DIR = "cache"


@dataclass
class RunOptions:
    """Everything ``evalkit run`` accepts (None: the default)."""

    system: str
    dataset: str | None = None
    results: str = "results"
    tasks: list[str] | None = None
    pairs: list[str] | None = None
    fields: list[str] | None = None
    weeks: list[str] | None = None
    metrics: list[str] | None = None
    max_failures: int = 0
    retries: int = 0
    seed: int = 12345
    n_resamples: int = 1000
    use_cache: bool = True
    reports: bool = True
    progress: bool | None = None
    cwd: str | None = None


@dataclass
class RunResult:
    """A finished (complete or partial) run."""

    run_dir: Path
    meta: dict[str, Any]
    segments: list[dict[str, Any]]
    runner: RunnerResult
    failures: list[Failure] = field(default_factory=list)


def git_revision(cwd: str | Path | None = None) -> str | None:
    """The git revision of ``cwd`` (``+dirty`` when it has changes), or None."""
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10
        )
        if rev.returncode != 0:
            return None
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return rev.stdout.strip() + ("+dirty" if status.stdout.strip() else "")


def _selection(opts: RunOptions, system: System) -> dict[str, Any]:
    from evalkit import dataset as ds

    default_tasks: Sequence[str] = getattr(system, "default_tasks", ("translation",))
    tasks = list(opts.tasks or default_tasks)
    for t in tasks:
        if t not in ds.TASKS:
            raise ConfigError(f"unknown task {t!r}; known: {', '.join(ds.TASKS)}")
    by_task = {t: list(opts.metrics or DEFAULT_METRICS[t]) for t in tasks}
    flat = list(dict.fromkeys(m for t in tasks for m in by_task[t]))
    from evalkit.scorers import SCORERS

    known = SCORERS.names()
    for m in flat:
        if m not in known:
            from evalkit.registry import suggest

            raise ConfigError(f"unknown metric {m!r}; {suggest(m, known)}")
    for week in opts.weeks or []:
        safe_name(week, what="week")
    extra = {}
    options = _scorer_options(opts.cwd, flat)
    if options:  # recorded only when set, so runs without options keep their ids
        extra["scorer_options"] = options
    return {
        "tasks": tasks,
        "pairs": list(opts.pairs) if opts.pairs else None,
        "fields": list(opts.fields) if opts.fields else None,
        "weeks": sorted(opts.weeks) if opts.weeks else None,
        "metrics": flat,
        "metrics_by_task": by_task,
        **extra,
    }


def _scorer_options(cwd: str | None, metrics: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The ``[scorers.NAME]`` tables of the project configuration for ``metrics``."""
    from evalkit.config import load_config, scorer_options

    return scorer_options(load_config(cwd), metrics)


def _dataset_meta(source: str | None, papers: Sequence[Any], fingerprint: str) -> dict[str, Any]:
    weeks: dict[str, dict[str, Any]] = {}
    for p in papers:
        w = weeks.setdefault(p.week, {"start": p.week_start, "end": p.week_end, "papers": 0})
        w["papers"] += 1
    return {
        "source": source or "bundled",
        "fingerprint": fingerprint,
        "papers": len(papers),
        "weeks": dict(sorted(weeks.items())),
    }


def _write_reports(run_dir: Path, results_dir: Path) -> None:
    if importlib.util.find_spec("evalkit.report") is None:
        return
    report = importlib.import_module("evalkit.report")
    write_run_reports = getattr(report, "write_run_reports", None)
    if callable(write_run_reports):
        write_run_reports(run_dir)
    write_index = getattr(report, "write_index", None)
    if callable(write_index):
        write_index(results_dir)


def execute(opts: RunOptions) -> RunResult:
    """Run, score and write a run folder (see the module docstring).

    Raises:
        EvalkitError: for a bad option, dataset or system configuration.
        SystemError_: when more batches failed than ``max_failures`` allows (the
            completed outputs stay in the run folder; the same command resumes).
    """
    from evalkit import dataset as ds
    from evalkit.systems.resolve import resolve_system

    system = resolve_system(opts.system, cwd=opts.cwd)
    try:
        return _execute(opts, system, ds)
    finally:
        system.close()


def _execute(opts: RunOptions, system: System, ds: Any) -> RunResult:
    selection = _selection(opts, system)
    papers = ds.load(opts.dataset)
    fingerprint = ds.fingerprint(papers)
    examples = ds.build_examples(
        papers,
        tasks=selection["tasks"],
        pairs=selection["pairs"],
        fields=selection["fields"],
        weeks=selection["weeks"],
    )
    if not examples:
        raise ConfigError(
            "the selection has no examples (check --tasks, --pairs, --fields and --weeks)"
        )
    spec = redact(system.spec())  # also when a plugin's spec() forgets to
    bootstrap = {"n_resamples": opts.n_resamples, "seed": opts.seed}
    identity = {
        "system": spec,
        "version": system.version,
        "dataset": fingerprint,
        "selection": selection,
        "bootstrap": bootstrap,
    }
    run_id = safe_name(f"{slug(system.name)}-{short_hash(identity)}", what="run id")
    results_dir = Path(opts.results)
    run_dir = results_dir / RUNS_DIR / run_id
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(
            f"cannot create the run folder: {exc.strerror or exc}", path=run_dir
        ) from exc

    use_examples = getattr(system, "use_examples", None)
    if callable(use_examples):
        use_examples(examples)
    requests = [Request(e.id, e.task, e.source, e.src_lang, e.tgt_lang) for e in examples]
    cache = None
    if opts.use_cache and getattr(system, "cacheable", True):
        cache = OutputCache(results_dir / CACHE_DIR / f"{system_key(system)}.jsonl")
    try:
        outcome = run_system(
            system,
            requests,
            outputs_path=run_dir / OUTPUTS_FILE,
            cache=cache,
            max_failures=opts.max_failures,
            retries=opts.retries,
            progress=opts.progress,
        )
    except OSError as exc:  # a full disk or an unwritable results folder
        raise DataError(
            f"cannot write outputs: {exc.strerror or exc}", path=exc.filename or run_dir
        ) from exc
    if outcome.aborted:
        done = len(outcome.outputs)
        n = len(outcome.failures)
        raise SystemError_(
            f"system {system.name!r}: {n} failed batch(es),"
            f" more than --max-failures {opts.max_failures};"
            f" {done} of {len(requests)} outputs kept in {run_dir / OUTPUTS_FILE};"
            " run the same command again to resume"
        )

    options = selection.get("scorer_options")
    segments, signatures = build_segments(
        examples, outcome.outputs, selection["metrics_by_task"], options
    )
    from evalkit.slices import score_slices

    scores = score_slices(
        segments,
        selection["metrics"],
        n_resamples=opts.n_resamples,
        seed=opts.seed,
        scorer_options=options,
    )
    ids = [e.id for e in examples]
    meta: dict[str, Any] = {
        "run_id": run_id,
        "evalkit_version": __version__,
        "created": datetime.now(timezone.utc)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z"),
        "git_revision": git_revision(opts.cwd),
        "system": {**spec, "version": system.version},
        "dataset": _dataset_meta(opts.dataset, papers, fingerprint),
        "selection": selection,
        "examples": {
            "count": len(ids),
            "fingerprint": short_hash([[e.id, e.source, e.reference] for e in examples], 16),
        },
        "bootstrap": bootstrap,
        "metrics": signatures,
        "scores": scores,
        "status": "complete" if not outcome.failures else "partial",
        "failures": [f.to_dict() for f in outcome.failures],
    }
    try:
        write_jsonl(run_dir / SEGMENTS_FILE, segments)
        write_json(run_dir / RUN_FILE, meta)
    except OSError as exc:
        raise DataError(
            f"cannot write the run: {exc.strerror or exc}", path=exc.filename or run_dir
        ) from exc
    if opts.reports:
        _write_reports(run_dir, results_dir)
    return RunResult(run_dir, meta, segments, outcome, outcome.failures)

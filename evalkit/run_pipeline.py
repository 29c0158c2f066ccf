"""``evalkit run``: run a system over the dataset, score it, leave a run folder on disk.

The run id is a function of the command (system name, a hash of its spec and version,
the dataset fingerprint and the selection), so running the same command again finds
the same folder and resumes it; an unchanged system is answered from the cache.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import math
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from evalkit import __version__
from evalkit.errors import ConfigError, DataError, EvalkitError, SystemError_
from evalkit.io import confine, make_dirs, safe_name
from evalkit.output_cache import OutputCache
from evalkit.records import DatasetInfo, Failure, RunRecord, Segment, Selection, WeekInfo
from evalkit.run_folder import OUTPUTS_FILE, RUN_FILE, RUNS_DIR, previous_created, write_run
from evalkit.segments import DEFAULT_METRICS, build_segments
from evalkit.system_runner import RunnerResult, run_system, short_hash, slug, system_key
from evalkit.systems.base import Request, System
from evalkit.systems.secrets import redact

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
    #: Scorer options to use instead of the ``[scorers.NAME]`` tables of the project
    #: configuration (``evalkit check --system`` repeats a baseline's options).
    scorer_options: dict[str, dict[str, Any]] | None = None
    #: Stop before a batch would take the system's spending past this many US dollars.
    max_cost: float | None = None


@dataclass
class RunResult:
    """A finished (complete or partial) run.

    Attributes:
        run_dir: The run folder.
        record: What run.json holds.
        segments: What segments.jsonl holds.
        runner: What the system runner did (calls, cache hits, failures).
    """

    run_dir: Path
    record: RunRecord
    segments: list[Segment]
    runner: RunnerResult

    @property
    def failures(self) -> list[Failure]:
        return list(self.record.failures)

    @property
    def meta(self) -> dict[str, Any]:
        """run.json as a plain dict (the same as :attr:`record`, which readers use)."""
        return self.record.to_dict()


#: numpy's generators take seeds in [0, 2**128); run.json keeps them as JSON integers.
MAX_SEED = 2**63 - 1


def check_options(opts: RunOptions) -> None:
    """Refuse numbers no run can use.

    Raises:
        ConfigError: naming the option and its value.
    """
    for flag, value, top in (
        ("--seed", opts.seed, MAX_SEED),
        ("--resamples", opts.n_resamples, None),
        ("--max-failures", opts.max_failures, None),
        ("--retries", opts.retries, None),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{flag} {value!r}: expected an integer >= 0")
        if top is not None and value > top:
            raise ConfigError(f"{flag} {value!r}: expected an integer <= {top}")
    cost = opts.max_cost
    if cost is not None and (not math.isfinite(cost) or cost < 0):
        raise ConfigError(f"--max-cost {cost!r}: expected a finite number of US dollars >= 0")


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


def _selection(opts: RunOptions, system: System) -> Selection:
    from evalkit import dataset as ds

    default_tasks: Sequence[str] = getattr(system, "default_tasks", ("translation",))
    tasks = list(opts.tasks or default_tasks)
    for t in tasks:
        if t not in ds.TASKS:
            raise ConfigError(f"unknown task {t!r}; known: {', '.join(ds.TASKS)}")
    by_task = {t: tuple(opts.metrics or DEFAULT_METRICS[t]) for t in tasks}
    flat = tuple(dict.fromkeys(m for t in tasks for m in by_task[t]))
    from evalkit.scorers import SCORERS

    known = SCORERS.names()
    for m in flat:
        if m not in known:
            from evalkit.didyoumean import suggest

            raise ConfigError(f"unknown metric {m!r}; {suggest(m, known)}")
    for week in opts.weeks or []:
        safe_name(week, what="week")
    return Selection(
        tasks=tuple(tasks),
        pairs=tuple(opts.pairs) if opts.pairs else None,
        fields=tuple(opts.fields) if opts.fields else None,
        weeks=tuple(sorted(opts.weeks)) if opts.weeks else None,
        metrics=flat,
        metrics_by_task=by_task,
        scorer_options=(
            {m: dict(o) for m, o in opts.scorer_options.items() if m in flat}
            if opts.scorer_options is not None
            else _scorer_options(opts.cwd, flat)
        )
        or None,
    )


def _scorer_options(cwd: str | None, metrics: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The ``[scorers.NAME]`` tables of the project configuration for ``metrics``."""
    from evalkit.config import load_config, scorer_options

    return scorer_options(load_config(cwd), metrics)


def _dataset_info(source: str | None, papers: Sequence[Any], fingerprint: str) -> DatasetInfo:
    counts: dict[str, int] = {}
    dates: dict[str, tuple[str | None, str | None]] = {}
    for p in papers:
        counts[p.week] = counts.get(p.week, 0) + 1
        dates.setdefault(p.week, (p.week_start, p.week_end))
    return DatasetInfo(
        source=source or "bundled",
        fingerprint=fingerprint,
        papers=len(papers),
        weeks={w: WeekInfo(*dates[w], papers=counts[w]) for w in sorted(counts)},
    )


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


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


def execute(opts: RunOptions, system: System | None = None) -> RunResult:
    """Run, score and write a run folder (see the module docstring).

    Args:
        opts: What to run.
        system: A system object to run instead of resolving ``opts.system`` (the Python
            API); the caller keeps it and closes it.

    Raises:
        EvalkitError: for a bad option, dataset or system configuration.
        SystemError_: when more batches failed than ``max_failures`` allows, or no
            example was answered (the outputs stay in the run folder; the same command
            resumes).
    """
    from evalkit import dataset as ds
    from evalkit.systems.resolve import resolve_system

    check_options(opts)
    if system is not None:
        with confine(opts.results):
            return _execute(opts, system, ds)
    resolved = resolve_system(opts.system, cwd=opts.cwd)
    try:
        with confine(opts.results):  # no write leaves the results folder through a link
            return _execute(opts, resolved, ds)
    finally:
        resolved.close()


def _execute(opts: RunOptions, system: System, ds: Any) -> RunResult:
    selection = _selection(opts, system)
    papers = ds.load(opts.dataset)
    fingerprint = ds.fingerprint(papers)
    examples = ds.build_examples(
        papers,
        tasks=list(selection.tasks),
        pairs=list(selection.pairs) if selection.pairs else None,
        fields=list(selection.fields) if selection.fields else None,
        weeks=list(selection.weeks) if selection.weeks else None,
    )
    if not examples:
        raise ConfigError(
            "the selection has no examples (check --tasks, --pairs, --fields and --weeks)"
        )
    spec = redact(system.spec())  # also when a plugin's spec() forgets to
    identity = {
        "system": spec,
        "version": system.version,
        "dataset": fingerprint,
        "selection": selection.to_dict(),
        "bootstrap": {"n_resamples": opts.n_resamples, "seed": opts.seed},
    }
    run_id = safe_name(f"{slug(system.name)}-{short_hash(identity)}", what="run id")
    results_dir = Path(opts.results)
    run_dir = results_dir / RUNS_DIR / run_id
    try:
        make_dirs(run_dir)
    except OSError as exc:
        raise DataError(
            f"cannot create the run folder: {exc.strerror or exc}", path=run_dir
        ) from exc

    use_examples = getattr(system, "use_examples", None)
    if callable(use_examples):
        use_examples(examples)
    prices = _prices(opts.cwd)
    budget = _run_budget(opts, prices)
    shots = _few_shots(system, examples, papers, selection, ds)
    requests = [
        Request(e.id, e.task, e.source, e.src_lang, e.tgt_lang, e.field, shots.get(e.id, ()))
        for e in examples
    ]
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
            budget=_budget(system, budget),
            retries=opts.retries,
            progress=opts.progress,
        )
    except OSError as exc:  # a full disk or an unwritable results folder
        raise DataError(
            f"cannot write outputs: {exc.strerror or exc}", path=exc.filename or run_dir
        ) from exc
    if outcome.stopped is not None:
        raise SystemError_(
            f"system {system.name!r}: {outcome.stopped}; {len(outcome.outputs)} of"
            f" {len(requests)} outputs kept in {run_dir / OUTPUTS_FILE}; run again with a"
            " higher --max-cost to resume"
        )
    n_failed = len(outcome.failed_ids)
    failed = f"{n_failed} of {len(requests)} example(s) failed in {len(outcome.failures)} batch(es)"
    if outcome.aborted:
        raise SystemError_(
            f"system {system.name!r}: {failed}, more than --max-failures {opts.max_failures};"
            f" {len(outcome.outputs)} of {len(requests)} outputs kept in"
            f" {run_dir / OUTPUTS_FILE}; run the same command again to resume"
        )

    options = selection.scorer_options
    langs = sorted({e.tgt_lang for e in examples})
    before = _judge_usage(selection.metrics, langs, options)
    scored, stripped = _scored_outputs(system, outcome.outputs)
    segments, signatures = build_segments(
        examples,
        scored,
        selection.metrics_by_task,
        options,
        cache_dir=results_dir / CACHE_DIR,
        cwd=opts.cwd,
        budget=budget,
    )
    usage = _usage_delta(before, _judge_usage(selection.metrics, langs, options))
    if stripped:
        segments = [
            dataclasses.replace(seg, flags=(*seg.flags, "reasoning_stripped"))
            if seg.id in stripped
            else seg
            for seg in segments
        ]
    run_usage = _run_usage(system, usage, prices)
    from evalkit.slices import score_slices

    record = RunRecord(
        run_id=run_id,
        evalkit_version=__version__,
        created=previous_created(run_dir) or _now(),
        git_revision=git_revision(opts.cwd),
        system={**spec, "version": system.version},
        dataset=_dataset_info(opts.dataset, papers, fingerprint),
        selection=selection,
        examples_count=len(examples),
        examples_fingerprint=short_hash([[e.id, e.source, e.reference] for e in examples], 16),
        n_resamples=opts.n_resamples,
        seed=opts.seed,
        signatures=signatures,
        scores=tuple(
            score_slices(
                segments,
                selection.metrics,
                n_resamples=opts.n_resamples,
                seed=opts.seed,
                scorer_options=options,
            )
        ),
        status="complete" if not outcome.failures else "partial",
        failures=tuple(outcome.failures),
        usage=run_usage,
    )
    try:
        write_run(run_dir, record, segments)
    except OSError as exc:
        raise DataError(
            f"cannot write the run: {exc.strerror or exc}", path=exc.filename or run_dir
        ) from exc
    if not segments:  # recorded above with its failures; but a run that scored nothing failed
        raise SystemError_(
            f"system {system.name!r}: nothing scored, {failed} (see {run_dir / RUN_FILE});"
            " run the same command again to retry"
        )
    if opts.reports:
        _write_reports(run_dir, results_dir)
    unasked = sum(1 for seg in segments for f in seg.flags if f.startswith("judge_failed:"))
    if unasked:  # written above; but a judge that could not be asked did not do its job
        raise SystemError_(
            f"a judge could not be asked about {unasked} segment(s) (flagged judge_failed in"
            f" {run_dir / 'segments.jsonl'}); its answers so far are cached: run the same"
            " command again to resume"
            + (" (with a higher --max-cost if the limit stopped it)" if budget else "")
        )
    return RunResult(run_dir, record, segments, outcome)


def _judge_usage(
    metrics: Sequence[str], langs: Sequence[str], options: Mapping[str, Any] | None
) -> dict[str, tuple[int, int]]:
    """Tokens each judge metric's scorers have used in this process so far."""
    from evalkit.scorers import SCORERS, get_scorer

    out: dict[str, tuple[int, int]] = {}
    for metric in metrics:
        if not hasattr(SCORERS.get(metric), "judgment_for"):
            continue
        prompt = completion = 0
        for lang in langs:
            try:
                scorer = get_scorer(metric, lang=lang, **dict((options or {}).get(metric, {})))
                usage = scorer.usage  # type: ignore[attr-defined]
            except EvalkitError:
                continue  # not built for this language: it cost nothing
            prompt += usage.prompt_tokens
            completion += usage.completion_tokens
        out[metric] = (prompt, completion)
    return out


def _usage_delta(
    before: Mapping[str, tuple[int, int]], after: Mapping[str, tuple[int, int]]
) -> dict[str, dict[str, int]]:
    """Tokens used between two :func:`_judge_usage` readings, per judge metric."""
    out = {}
    for metric, (prompt, completion) in after.items():
        p0, c0 = before.get(metric, (0, 0))
        out[metric] = {"prompt_tokens": prompt - p0, "completion_tokens": completion - c0}
    return out


def _few_shots(
    system: System, examples: Sequence[Any], papers: Sequence[Any], selection: Selection, ds: Any
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Few-shot examples per example id for a system with ``few_shot = N``: drawn from
    every week of the dataset (same tasks, pairs and fields) but the example's own."""
    n = int(getattr(system, "few_shot", 0) or 0)
    if n <= 0:
        return {}
    from evalkit.fewshot import choose_shots

    pool = ds.build_examples(
        papers,
        tasks=list(selection.tasks),
        pairs=list(selection.pairs) if selection.pairs else None,
        fields=list(selection.fields) if selection.fields else None,
    )
    return choose_shots(examples, n, pool=pool)


def _scored_outputs(system: System, outputs: Mapping[str, str]) -> tuple[dict[str, str], set[str]]:
    """The outputs as scored: reasoning blocks removed unless the system says not to.

    ``outputs.jsonl`` keeps the raw text; the ids whose text changed are returned too.
    """
    from evalkit.judges.reasoning import strip_reasoning

    values = getattr(system, "values", {}) or {}
    if not values.get("strip_reasoning", True):
        return dict(outputs), set()
    scored, changed = {}, set()
    for key, text in outputs.items():
        clean = strip_reasoning(text) if "<" in text else text
        scored[key] = clean
        if clean != text:
            changed.add(key)
    return scored, changed


def _run_usage(
    system: System, judges: Mapping[str, Mapping[str, int]], prices: Mapping[str, Any]
) -> dict[str, Any]:
    """Tokens (and cost, where ``[prices]`` of evalkit.toml knows the model) of this run."""
    out: dict[str, Any] = {}
    counts = getattr(system, "usage", None)
    if isinstance(counts, list) and any(counts):
        model = str(getattr(system, "values", {}).get("model") or system.name)
        entry: dict[str, Any] = {
            "model": model,
            "prompt_tokens": counts[0],
            "completion_tokens": counts[1],
        }
        if model in prices:
            entry["cost"] = round(prices[model].cost(counts[0], counts[1]), 6)
        out["system"] = entry
    judged = {
        m: dict(u)
        for m, u in judges.items()
        if u.get("prompt_tokens") or u.get("completion_tokens")
    }
    if judged:
        out["judges"] = judged
    return out


def _prices(cwd: str | None) -> dict[str, Any]:
    """The ``[prices]`` table of the project configuration, validated."""
    from evalkit.config import load_config
    from evalkit.costs import parse_prices

    config = load_config(cwd)
    return parse_prices(config.data.get("prices"), str(config.path or "evalkit.toml"))


def _run_budget(opts: RunOptions, prices: Mapping[str, Any]) -> Any:
    """The run's :class:`~evalkit.costs.Budget` for ``--max-cost`` (system and judges)."""
    if opts.max_cost is None:
        return None
    from evalkit.costs import Budget

    return Budget(limit=opts.max_cost, prices=prices)


def _budget(system: System, budget: Any) -> Any:
    """The ``--max-cost`` check run before each batch of the system, or None."""
    if budget is None or not isinstance(getattr(system, "usage", None), list):
        return None  # a system that reports no tokens costs nothing here; judges still do
    model = str(getattr(system, "values", {}).get("model") or system.name)
    budget.require_price(model)
    seen = [0, 0]
    asked = [0]

    def check(n: int) -> str | None:
        usage = system.usage  # type: ignore[attr-defined]
        prompt, completion = usage[0] - seen[0], usage[1] - seen[1]
        seen[:] = list(usage)
        refusal = budget.step(model, prompt, completion, asked=asked[0], next_n=n)
        asked[0] = n
        return refusal

    return check

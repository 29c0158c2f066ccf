"""Statistics for several metrics and systems against one set of references.

The references are tokenized and counted once per metric (:meth:`Scorer.prepare`) and
reused for every system. Work goes in chunks of segments, which bounds memory (the
prepared n-gram counts of one chunk at a time) and spreads large inputs over processes:
this one and ``jobs - 1`` workers, each of which builds its scorers (and MeCab) once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from evalkit.scorers.base import SegmentRefs

#: Segments per chunk of work.
CHUNK_SIZE = 1000
#: Below this many segment-systems, a process pool costs more than it saves.
POOL_MIN_WORK = 20_000
#: With a pool, chunks shrink to give each process about this many...
CHUNKS_PER_PROCESS = 8
#: ...but not below this many segments.
POOL_MIN_CHUNK = 100

Options = Mapping[str, Mapping[str, Any]]


def _chunk_stats(
    metrics: Sequence[str],
    lang: str,
    options: Options,
    refs: Sequence[SegmentRefs],
    systems: Sequence[Sequence[str]],
    srcs: Sequence[str] | None = None,
) -> dict[str, list[np.ndarray]]:
    from evalkit.scorers import get_scorer

    out: dict[str, list[np.ndarray]] = {}
    for metric in metrics:
        scorer = get_scorer(metric, lang=lang, **dict(options.get(metric, {})))
        prepared = scorer.prepare(refs)
        if scorer.needs_sources:
            out[metric] = [
                scorer.segment_stats(hyps=hyps, refs=prepared, srcs=srcs)  # type: ignore[call-arg]
                for hyps in systems
            ]
        else:
            out[metric] = [scorer.segment_stats(hyps=hyps, refs=prepared) for hyps in systems]
    return out


def _worker(args: tuple[Any, ...]) -> dict[str, list[np.ndarray]]:
    return _chunk_stats(*args)


def _pooled(
    tasks: Sequence[tuple[Any, ...]],
    sizes: Sequence[int],
    jobs: int,
    progress: Callable[[int], None] | None,
) -> list[dict[str, list[np.ndarray]]]:
    """Run ``tasks`` on ``jobs`` processes: this one and ``jobs - 1`` workers.

    This process takes the next chunk itself whenever the workers have enough queued
    (two each), so it works from the first moment, while the workers are still
    starting, and the chunks end up shared by speed. Results keep the task order.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    results: list[Any] = [None] * len(tasks)
    queued: dict[Future[Any], int] = {}
    nxt = 0

    def collect(done: Any) -> None:
        for fut in done:
            i = queued.pop(fut)
            results[i] = fut.result()
            if progress:
                progress(sizes[i])

    workers = jobs - 1
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        while nxt < len(tasks) or queued:
            collect([f for f in queued if f.done()])
            while len(queued) < 2 * workers and nxt < len(tasks):
                queued[pool.submit(_worker, tasks[nxt])] = nxt
                nxt += 1
            if nxt < len(tasks):
                results[nxt] = _worker(tasks[nxt])
                if progress:
                    progress(sizes[nxt])
                nxt += 1
            elif queued:
                collect(wait(queued, return_when=FIRST_COMPLETED).done)
    return results


def default_jobs(work: int) -> int:
    """Processes to use for ``work`` segment-systems: all CPUs when it pays, else 1."""
    if work < POOL_MIN_WORK:
        return 1
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )


def compute_stats(
    metrics: Sequence[str],
    *,
    lang: str,
    refs: Sequence[SegmentRefs],
    systems: Sequence[Sequence[str]],
    options: Options | None = None,
    srcs: Sequence[str] | None = None,
    jobs: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> dict[str, list[np.ndarray]]:
    """Segment statistics of every system for every metric.

    Args:
        metrics: Scorer names.
        lang: Target language.
        refs: Reference segments: each a string, or a sequence of strings (several
            references, for the scorers that take them).
        systems: Hypothesis segments per system, each as long as ``refs``.
        options: Scorer options per metric name (passed to ``get_scorer``).
        srcs: Source segments, as long as ``refs``; required by scorers that set
            ``needs_sources`` (COMET).
        jobs: Processes; None picks one per CPU for large inputs, 1 otherwise. Always 1
            when a scorer is not ``parallel`` (a model is loaded once, in this process).
        chunk_size: Segments per chunk.
        progress: Called with the number of segments of each finished chunk.

    Returns:
        ``{metric: [stats of system 0, stats of system 1, ...]}``, each ``(n, k)``.
    """
    import numpy as np

    from evalkit.errors import ConfigError
    from evalkit.scorers import get_scorer

    options = options or {}
    n = len(refs)
    for i, hyps in enumerate(systems):
        if len(hyps) != n:
            raise ValueError(f"system {i} has {len(hyps)} segments, references have {n}")
    if srcs is not None and len(srcs) != n:
        raise ValueError(f"{len(srcs)} sources, references have {n}")
    # Build the scorers here first: bad names or options fail before any work starts.
    serial = False
    for metric in metrics:
        scorer = get_scorer(metric, lang=lang, **dict(options.get(metric, {})))
        if scorer.needs_sources and srcs is None:
            raise ConfigError(f"{metric} needs the source segments, and none were given")
        serial = serial or not scorer.parallel
    jobs = default_jobs(n * max(1, len(systems))) if jobs is None else max(1, jobs)
    if serial:
        jobs = 1
    if jobs > 1:  # enough chunks per process that none waits long for the last one
        chunk_size = min(chunk_size, max(POOL_MIN_CHUNK, -(-n // (jobs * CHUNKS_PER_PROCESS))))
    bounds = [(s, min(s + chunk_size, n)) for s in range(0, n, max(1, chunk_size))]
    tasks = [
        (
            list(metrics),
            lang,
            {m: dict(options.get(m, {})) for m in metrics},
            list(refs[a:b]),
            [list(h[a:b]) for h in systems],
            list(srcs[a:b]) if srcs is not None else None,
        )
        for a, b in bounds
    ]
    sizes = [b - a for a, b in bounds]
    if jobs == 1 or len(tasks) < 2:
        parts = []
        for size, task in zip(sizes, tasks, strict=True):
            parts.append(_worker(task))
            if progress:
                progress(size)
    else:
        parts = _pooled(tasks, sizes, min(jobs, len(tasks)), progress)
    out: dict[str, list[np.ndarray]] = {}
    for metric in metrics:
        k = len(get_scorer(metric, lang=lang, **dict(options.get(metric, {}))).stat_names)
        out[metric] = [
            np.concatenate([p[metric][s] for p in parts]) if parts else np.zeros((0, k))
            for s in range(len(systems))
        ]
    return out

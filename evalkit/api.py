"""The Python API: run an evaluation from a notebook or a script.

    import evalkit

    result = evalkit.evaluate(system="reference", pairs=["en-ko"], weeks=["2023-W41"])
    result = evalkit.evaluate(system=lambda texts: texts, name="copy", resamples=0)
    result.record.scores           # the slice scores (SliceScore records)
    result.segments[0].scores      # one segment's scores (a Segment record)

``system`` is a name (as ``evalkit run --system`` takes it), a
:class:`~evalkit.systems.base.System` object or subclass, or a function from texts to
texts (see :mod:`evalkit.systems.function`). The run folder is written as the command
line writes it, so ``evalkit report`` and ``evalkit check`` read it too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from evalkit.errors import ConfigError

if TYPE_CHECKING:
    from evalkit.run import RunResult
    from evalkit.systems.base import System


def _names(value: str | Sequence[str] | None, what: str) -> list[str] | None:
    """``"en-ko"`` or ``["en-ko", "en-ja"]`` -> a list; None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{what} must be a string or a list of strings, got {value!r}")
    return list(value)


def _count(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{what} must be an integer >= 0, got {value!r}")
    return value


def as_system(
    system: str | System | type[System] | Callable[..., Any],
    *,
    name: str | None = None,
    options: dict[str, Any] | None = None,
    cwd: str | None = None,
) -> tuple[System, bool]:
    """The :class:`System` ``system`` stands for, and whether the caller must close it.

    Raises:
        UnknownNameError: for a name that resolves to nothing (with the closest name).
        ConfigError: for anything else that is not a system, or a bad option.
    """
    from evalkit.systems.base import System

    if isinstance(system, str):
        if options:
            raise ConfigError("options go in evalkit.toml for a system given by name")
        from evalkit.systems.resolve import resolve_system

        return resolve_system(system, cwd=cwd), True
    if isinstance(system, System):
        if options:
            raise ConfigError("options are for a System class or a function, not an instance")
        return system, False
    if isinstance(system, type) and issubclass(system, System):
        return system(name or system.__name__, options or {}), True
    if callable(system):
        from evalkit.systems.function import FunctionSystem

        label = name or getattr(system, "__name__", None) or type(system).__name__
        if label == "<lambda>":
            label = "function"
        return FunctionSystem(label, options or {}, function=system), True
    raise ConfigError(
        "system must be a name, a System object or class, or a function from texts to"
        f" texts; got {type(system).__name__}"
    )


def evaluate(
    system: str | System | type[System] | Callable[..., Any],
    *,
    name: str | None = None,
    options: dict[str, Any] | None = None,
    dataset: str | None = None,
    tasks: str | Sequence[str] | None = None,
    pairs: str | Sequence[str] | None = None,
    fields: str | Sequence[str] | None = None,
    weeks: str | Sequence[str] | None = None,
    metrics: str | Sequence[str] | None = None,
    results: str = "results",
    max_failures: int = 0,
    retries: int = 0,
    seed: int = 12345,
    resamples: int = 1000,
    cache: bool = True,
    reports: bool = True,
    progress: bool | None = False,
    cwd: str | None = None,
) -> RunResult:
    """Run ``system`` over the dataset, score it and write a run folder, like ``evalkit run``.

    Args:
        system: A name (a system of ``evalkit.toml``, a plugin, a registered or built-in
            system, ``module:callable``), a :class:`System` object or class, or a function
            from a list of texts to a list of texts.
        name: The run's system name for a class or a function (default: its name).
        options: Options of a class or function system (``batch_size``, ``version``...).
        dataset: papers.jsonl, a folder, or digests (default: the bundled digests).
        tasks, pairs, fields, weeks, metrics: The selection, as on the command line
            (a list, or one string with spaces or commas).
        results: The results folder.
        max_failures: Failed batches tolerated before stopping.
        retries: Extra attempts per failed batch (a system that retries itself, such as
            ``openai``, is not retried again).
        seed: Bootstrap seed.
        resamples: Bootstrap resamples for the 95% CIs (0 for none).
        cache: Read and write the output cache.
        reports: Write report.md / report.html.
        progress: Show a progress bar on stderr (None: only on a terminal).
        cwd: The folder whose ``evalkit.toml`` names resolve against.

    Returns:
        The run: its folder, ``record`` (run.json as a :class:`~evalkit.records.RunRecord`;
        ``meta`` is the same as a plain dict), segments and what the runner did. A
        system object passed in is not closed.

    Raises:
        EvalkitError: for a bad option, dataset or system; ``SystemFailure`` when more
            batches failed than ``max_failures`` allows (completed outputs are kept and
            the same call resumes).
    """
    from evalkit import run as run_module

    if not isinstance(results, str) or not results:
        raise ConfigError(f"results must be a folder name, got {results!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"seed must be an integer >= 0, got {seed!r}")
    opts_kwargs: dict[str, Any] = {
        "dataset": dataset,
        "results": results,
        "tasks": _names(tasks, "tasks"),
        "pairs": _names(pairs, "pairs"),
        "fields": _names(fields, "fields"),
        "weeks": _names(weeks, "weeks"),
        "metrics": _names(metrics, "metrics"),
        "max_failures": _count(max_failures, "max_failures"),
        "retries": _count(retries, "retries"),
        "seed": seed,
        "n_resamples": _count(resamples, "resamples"),
        "use_cache": bool(cache),
        "reports": bool(reports),
        "progress": progress,
        "cwd": cwd,
    }
    resolved, owned = as_system(system, name=name, options=options, cwd=cwd)
    try:
        opts = run_module.RunOptions(system=resolved.name, **opts_kwargs)
        return run_module.execute(opts, resolved)
    finally:
        if owned:
            resolved.close()


def register_system(name: str, system: Any) -> None:
    """Make ``name`` resolve to ``system`` (``evaluate(system=name)``, ``--system name``
    within this process): a :class:`System` class or object, a function from texts to
    texts, or a ``"module:attr"`` spec of one of those."""
    from evalkit.systems import SYSTEMS

    SYSTEMS.register(name, system)


def register_scorer(name: str, scorer: Any) -> None:
    """Make ``name`` a metric: a :class:`~evalkit.scorers.base.Scorer` subclass, or a
    ``"module:Class"`` spec of one."""
    from evalkit.scorers import SCORERS
    from evalkit.scorers.base import Scorer

    if not isinstance(scorer, str) and not (
        isinstance(scorer, type) and issubclass(scorer, Scorer)
    ):
        raise ConfigError(f"scorer {name!r} must be a Scorer subclass, got {scorer!r}")
    SCORERS.register(name, scorer)
    import evalkit.scorers as scorers

    cached = getattr(scorers, "_cached", None)  # instances built under the old meaning
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()

"""Run a system over requests: batching, the output cache, resume, failures, progress.

Outputs are appended to the run's ``outputs.jsonl`` (and to the system's cache) as they
are answered, one flushed write per answer set, so a kill loses at most the batch in
flight; the next run reads them back and asks the system only for what is missing.
Outputs are kept per example: when a system answers part of a batch (see
:class:`~evalkit.systems.partial.PartialAnswers`) or gives some answers that are not
valid text, the valid answers are kept and only the other examples fail or are retried.
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalkit.errors import SystemError_
from evalkit.io import JsonlAppender, dumps, safe_name
from evalkit.output_cache import OutputCache
from evalkit.records import Failure, OutputLine
from evalkit.run_folder import read_outputs
from evalkit.systems.base import Request, System
from evalkit.systems.common import DEFAULT_MAX_OUTPUT_CHARS, system_failure
from evalkit.systems.partial import PartialAnswers, split_answers

__all__ = [
    "Failure",
    "OutputCache",
    "RunnerResult",
    "read_outputs",
    "run_system",
    "short_hash",
    "slug",
    "system_key",
]


def slug(name: str) -> str:
    """``name`` made safe as one path component (``../../x`` -> ``x``, ``m:f`` -> ``m-f``)."""
    text = re.sub(r"[^A-Za-z0-9._+-]+", "-", name).strip(".-_+")
    text = re.sub(r"\.{2,}", ".", text)[:60].strip(".-_+")
    return safe_name(text or "system", what="system name")


def short_hash(obj: Any, n: int = 10) -> str:
    """A short stable hash of a JSON-able object."""
    return hashlib.sha256(dumps(obj).encode("utf-8")).hexdigest()[:n]


def system_key(system: System) -> str:
    """Identifies a system's outputs: its name, its spec (secrets removed) and version."""
    return (
        f"{slug(system.name)}-{short_hash({'spec': system.spec(), 'version': system.version}, 12)}"
    )


@dataclass
class RunnerResult:
    """What :func:`run_system` did.

    Attributes:
        outputs: Example id -> output, for every request answered (now or earlier).
        failures: Requests left unanswered, one entry per batch that failed for good.
        calls: Batches the system was called with (retries included).
        from_run: Outputs read back from an earlier, interrupted run.
        from_cache: Outputs taken from the cache.
        aborted: Whether the run stopped early because of ``max_failures``.
        stopped: Why the run stopped before asking everything (``--max-cost``), or None.
    """

    outputs: dict[str, str] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    calls: int = 0
    from_run: int = 0
    from_cache: int = 0
    aborted: bool = False
    stopped: str | None = None

    @property
    def failed_ids(self) -> list[str]:
        return [i for f in self.failures for i in f.ids]


def _warn(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _ask(
    system: System, batch: list[Request], max_chars: int
) -> tuple[dict[str, str], SystemError_ | None]:
    """Ask the system for ``batch``: the valid outputs by id, and the error of the rest."""
    try:
        answers = system.translate_batch(batch)
    except PartialAnswers as exc:
        given = [r for r in batch if r.id in exc.answered]
        good, _ = split_answers(
            system.name, given, [exc.answered[r.id] for r in given], max_chars=max_chars
        )
        missing = [r for r in batch if r.id not in good]
        return good, system_failure(system.name, missing, exc.reason)
    except SystemError_ as exc:
        return {}, exc
    except Exception as exc:  # a failing system under test fails its batch, never the run
        return {}, system_failure(system.name, batch, f"raised {type(exc).__name__}: {exc}")
    return split_answers(system.name, batch, answers, max_chars=max_chars)


def run_system(
    system: System,
    requests: Sequence[Request],
    *,
    outputs_path: str | Path,
    cache: OutputCache | None = None,
    max_failures: int = 0,
    retries: int = 0,
    progress: bool | None = None,
    on_failure: Callable[[Failure], None] = lambda f: _warn(f.error),
    budget: Callable[[int], str | None] | None = None,
) -> RunnerResult:
    """Answer every request, reusing earlier outputs and the cache.

    Args:
        system: The system.
        requests: The requests, in order (ids unique).
        outputs_path: The run's ``outputs.jsonl``: read to resume, appended to.
        cache: The system's output cache, or None not to cache.
        max_failures: Failed batches tolerated before stopping (the run goes on while
            the count is at most this).
        retries: Extra attempts for the unanswered requests of a batch.
        progress: Show a progress bar on stderr (None: only on a terminal).
        on_failure: Called with each failed batch.
        budget: Called before each batch with its size; a message stops the run there
            (``--max-cost``): what was answered is kept, and a rerun resumes.

    Returns:
        The outputs and what happened; failures of the system never raise.

    Raises:
        DataError: naming the file and line of a malformed ``outputs.jsonl`` line.
    """
    outputs_path = Path(outputs_path)
    _refuse_planted(outputs_path)
    result = RunnerResult()
    result.outputs = read_outputs(outputs_path, {r.id for r in requests})
    result.from_run = len(result.outputs)
    pending = [r for r in requests if r.id not in result.outputs]
    max_chars = int(system.config.get("max_output_chars", DEFAULT_MAX_OUTPUT_CHARS))

    from tqdm import tqdm

    bar = tqdm(
        total=len(requests),
        initial=len(result.outputs),
        unit="seg",
        file=sys.stderr,
        disable=(not sys.stderr.isatty()) if progress is None else not progress,
        desc=f"{system.name}",
        dynamic_ncols=True,
    )

    def keep(answered: list[tuple[Request, str]], out: JsonlAppender) -> None:
        out.write_many(OutputLine(r.id, o).to_dict() for r, o in answered)
        if cache is not None:
            cache.add(answered)
        result.outputs.update((r.id, o) for r, o in answered)
        bar.update(len(answered))

    with JsonlAppender(outputs_path) as out:
        if cache is not None and pending:
            hits = [(r, o) for r in pending if (o := cache.get(r)) is not None]
            if hits:
                out.write_many(OutputLine(r.id, o).to_dict() for r, o in hits)
                result.outputs.update((r.id, o) for r, o in hits)
                result.from_cache = len(hits)
                bar.update(len(hits))
                pending = [r for r in pending if r.id not in result.outputs]
        size = max(1, int(system.batch_size))
        # one retry layer: a system that retries itself is called once per batch
        if getattr(system, "retries_itself", False) and retries:
            _warn(
                f"evalkit: system {system.name!r} retries each request itself"
                f" (its retries option); --retries {retries} is not applied on top"
            )
            retries = 0
        try:
            for start in range(0, len(pending), size):
                remaining = pending[start : start + size]
                refusal = budget(len(remaining)) if budget is not None else None
                if refusal is not None:
                    result.stopped = refusal
                    break
                error: SystemError_ | None = None
                for attempt in range(retries + 1):
                    result.calls += 1
                    good, error = _ask(system, remaining, max_chars)
                    if good:
                        keep([(r, good[r.id]) for r in remaining if r.id in good], out)
                        remaining = [r for r in remaining if r.id not in good]
                    if not remaining:
                        break
                    if attempt < retries:
                        time.sleep(min(0.1 * 2**attempt, 5.0))
                if not remaining:
                    continue
                if error is None:  # answers for other ids than asked: none for these
                    error = system_failure(system.name, remaining, "no answer")
                failure = Failure(tuple(r.id for r in remaining), str(error))
                result.failures.append(failure)
                on_failure(failure)
                if len(result.failures) > max_failures:
                    result.aborted = True
                    break
        finally:
            bar.close()
            if cache is not None:
                cache.close()
    return result


def _refuse_planted(path: Path) -> None:
    """Refuse a link or special file planted where the run's own file goes: it is read to
    resume and appended to, so its target would be read and changed."""
    import os

    from evalkit.fsplace import refuse, root_of

    root = root_of(path)
    if root is not None and os.path.lexists(path) and (path.is_symlink() or not path.is_file()):
        raise refuse(str(path), root, f"{path.name} is a symbolic link or special file")

"""Run a system over requests: batching, the output cache, resume, failures, progress.

Outputs are appended to the run's ``outputs.jsonl`` (and to the system's cache) one
flushed batch at a time, so a kill loses at most the batch in flight; the next run
reads them back and asks the system only for what is missing.
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
from evalkit.io import JsonlAppender, dumps, read_jsonl, safe_name
from evalkit.systems.base import Request, System
from evalkit.systems.common import DEFAULT_MAX_OUTPUT_CHARS, check_answers, system_failure


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


class OutputCache:
    """Outputs of one system configuration, keyed by request content (not by id).

    Stored as JSON lines ``{"key", "output"}`` in ``<results>/cache/<system-key>.jsonl``.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._data: dict[str, str] = {}
        if self.path.is_file():
            JsonlAppender(self.path, fsync=False).close()  # cut a line torn by a kill
            for _, record in read_jsonl(self.path, tolerate_torn_tail=True):
                if isinstance(record.get("output"), str) and isinstance(record.get("key"), str):
                    self._data[record["key"]] = record["output"]
        self._appender: JsonlAppender | None = None

    @staticmethod
    def key(request: Request) -> str:
        material = "\0".join((request.task, request.src_lang, request.tgt_lang, request.text))
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]

    def get(self, request: Request) -> str | None:
        return self._data.get(self.key(request))

    def add(self, pairs: Sequence[tuple[Request, str]]) -> None:
        if self._appender is None:
            self._appender = JsonlAppender(self.path)
        records = [{"key": self.key(r), "output": o} for r, o in pairs]
        self._appender.write_many(records)
        self._data.update((rec["key"], rec["output"]) for rec in records)

    def __len__(self) -> int:
        return len(self._data)

    def close(self) -> None:
        if self._appender is not None:
            self._appender.close()
            self._appender = None


@dataclass
class Failure:
    """A batch that failed for good: its example ids and the one-line error."""

    ids: list[str]
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"ids": list(self.ids), "error": self.error}


@dataclass
class RunnerResult:
    """What :func:`run_system` did.

    Attributes:
        outputs: Example id -> output, for every request answered (now or earlier).
        failures: Failed batches, in order.
        calls: Batches the system was called with (retries included).
        from_run: Outputs read back from an earlier, interrupted run.
        from_cache: Outputs taken from the cache.
        aborted: Whether the run stopped early because of ``max_failures``.
    """

    outputs: dict[str, str] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    calls: int = 0
    from_run: int = 0
    from_cache: int = 0
    aborted: bool = False


def read_outputs(path: Path, wanted: set[str]) -> dict[str, str]:
    """Outputs already in a run's ``outputs.jsonl`` (a torn last line is ignored)."""
    if not path.is_file():
        return {}
    return {
        str(r["id"]): r["output"]
        for _, r in read_jsonl(path, tolerate_torn_tail=True)
        if r.get("id") in wanted and isinstance(r.get("output"), str)
    }


def _warn(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _call(system: System, batch: list[Request], max_chars: int) -> list[str]:
    try:
        answers = system.translate_batch(batch)
    except SystemError_:
        raise
    except Exception as exc:  # a failing system under test fails its batch, never the run
        raise system_failure(system.name, batch, f"raised {type(exc).__name__}: {exc}") from None
    return check_answers(system.name, batch, answers, max_chars=max_chars)


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
) -> RunnerResult:
    """Answer every request, reusing earlier outputs and the cache.

    Args:
        system: The system.
        requests: The requests, in order (ids unique).
        outputs_path: The run's ``outputs.jsonl``: read to resume, appended to.
        cache: The system's output cache, or None not to cache.
        max_failures: Failed batches tolerated before stopping (the run goes on while
            the count is at most this).
        retries: Extra attempts for a failed batch.
        progress: Show a progress bar on stderr (None: only on a terminal).
        on_failure: Called with each failed batch.

    Returns:
        The outputs and what happened; failures never raise.
    """
    outputs_path = Path(outputs_path)
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
    with JsonlAppender(outputs_path) as out:
        if cache is not None and pending:
            hits = [(r, o) for r in pending if (o := cache.get(r)) is not None]
            if hits:
                out.write_many({"id": r.id, "output": o} for r, o in hits)
                result.outputs.update((r.id, o) for r, o in hits)
                result.from_cache = len(hits)
                bar.update(len(hits))
                pending = [r for r in pending if r.id not in result.outputs]
        size = max(1, int(system.batch_size))
        # one retry layer: a system that retries itself is called once per batch
        if system.retries_itself and retries:
            _warn(
                f"evalkit: system {system.name!r} retries each request itself"
                f" (its retries option); --retries {retries} is not applied on top"
            )
            retries = 0
        try:
            for start in range(0, len(pending), size):
                batch = pending[start : start + size]
                answers = None
                error = ""
                for attempt in range(retries + 1):
                    result.calls += 1
                    try:
                        answers = _call(system, batch, max_chars)
                        break
                    except SystemError_ as exc:
                        error = str(exc)
                        if attempt < retries:
                            time.sleep(min(0.1 * 2**attempt, 5.0))
                if answers is None:
                    failure = Failure([r.id for r in batch], error)
                    result.failures.append(failure)
                    on_failure(failure)
                    if len(result.failures) > max_failures:
                        result.aborted = True
                        break
                    continue
                out.write_many(
                    {"id": r.id, "output": o} for r, o in zip(batch, answers, strict=True)
                )
                if cache is not None:
                    cache.add(list(zip(batch, answers, strict=True)))
                result.outputs.update((r.id, o) for r, o in zip(batch, answers, strict=True))
                bar.update(len(batch))
        finally:
            bar.close()
            if cache is not None:
                cache.close()
    return result

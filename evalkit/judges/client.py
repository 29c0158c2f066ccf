"""Asking a judge model: cached, resumable, with token accounting.

A judge is any backend that answers chat conversations (in practice an ``openai``
system from ``evalkit.toml``, through :class:`OpenAIJudgeBackend`, so a judge has the
concurrency, retries, deadlines and secret handling of that kind). :class:`Judge`
puts a cache in front of it: answers are appended to a JSON-lines file as they
arrive, keyed by the judge's identity, the prompt version, the conversation, the
sample and the attempt, so a killed run resumes without asking again and a changed
prompt or model never reuses an old answer. A bad cache line is skipped with a
warning and asked again: a cache is a cache.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from evalkit.judges.prompts import Message

CACHE_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Usage:
    """Tokens one answer cost, from the ``usage`` field of the response (0 when absent)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )

    def to_dict(self) -> dict[str, int]:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens}

    @classmethod
    def from_dict(cls, d: Any) -> Usage:
        if not isinstance(d, dict):
            return cls()

        def count(key: str) -> int:
            v = d.get(key)
            return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0

        return cls(count("prompt_tokens"), count("completion_tokens"))


@dataclass(frozen=True)
class Answer:
    """A judge's raw answer; ``cached`` answers cost nothing in this run."""

    text: str
    usage: Usage = field(default_factory=Usage)
    cached: bool = False


@dataclass(frozen=True)
class Query:
    """One conversation to send; ``sample`` and ``attempt`` make repeated asks distinct."""

    messages: list[Message]
    version: str
    sample: int = 0
    attempt: int = 0


class JudgeBackend(Protocol):
    """What answers conversations: :class:`OpenAIJudgeBackend`, or a test double."""

    def identity(self) -> dict[str, Any]:
        """What makes answers differ (model, endpoint, temperature; no secrets)."""
        ...

    def complete(self, conversations: Sequence[list[Message]]) -> list[Answer | Exception]:
        """One answer (or the error that prevented it) per conversation, in order."""
        ...


class JudgeError(Exception):
    """A judge question failed for good (its message is safe to show)."""


class Judge:
    """A backend with a disk cache in front.

    Args:
        backend: Answers conversations.
        cache_path: JSON-lines cache file; None keeps answers in memory only.
    """

    def __init__(self, backend: JudgeBackend, cache_path: str | Path | None = None):
        self.backend = backend
        self.identity = backend.identity()
        self.cache_path = Path(cache_path) if cache_path is not None else None
        self._answers: dict[str, Answer] = {}
        #: Questions sent at a time (answers are cached after each batch).
        self.batch_size = 16
        #: ``budget(n, spent, asked)``: charged with ``spent`` for ``asked`` questions,
        #: returns why ``n`` more may not be asked (``--max-cost``), or None. None: no limit.
        self.budget: Callable[[int, Usage, int], str | None] | None = None
        self.usage = Usage()
        self.asked = 0
        self.failed = 0
        if self.cache_path is not None and self.cache_path.is_file():
            self._load(self.cache_path)

    def key(self, query: Query) -> str:
        material = json.dumps(
            {
                "judge": self.identity,
                "version": query.version,
                "messages": query.messages,
                "sample": query.sample,
                "attempt": query.attempt,
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:40]

    def _load(self, path: Path) -> None:
        bad = 0
        with open(path, "rb") as f:
            for raw in f:
                try:
                    rec = json.loads(raw)
                    key, text = rec["key"], rec["answer"]
                    if not isinstance(key, str) or not isinstance(text, str):
                        raise TypeError
                except (ValueError, KeyError, TypeError):
                    bad += 1
                    continue
                self._answers[key] = Answer(text, Usage.from_dict(rec.get("usage")), cached=True)
        if bad:
            print(
                f"evalkit: warning: {path}: skipped {bad} unreadable judge cache line(s);"
                " those questions are asked again",
                file=sys.stderr,
            )

    def _store(self, entries: list[tuple[str, Answer]]) -> None:
        if self.cache_path is None or not entries:
            return
        from evalkit.io import JsonlAppender

        appender = JsonlAppender(self.cache_path)
        try:
            appender.write_many(
                [
                    {
                        "schema_version": CACHE_SCHEMA_VERSION,
                        "key": k,
                        "answer": a.text,
                        "usage": a.usage.to_dict(),
                    }
                    for k, a in entries
                ]
            )
        finally:
            appender.close()

    def ask(self, queries: Sequence[Query]) -> list[Answer | JudgeError]:
        """Answers from the cache where it has them, else from the backend.

        New answers are asked :attr:`batch_size` at a time and cached after each batch,
        so a killed run loses at most the batch in flight. Before each batch the
        :attr:`budget` (``--max-cost``) may refuse it: its questions then fail with the
        budget's message, and a rerun with a higher limit asks them.
        """
        keys = [self.key(q) for q in queries]
        todo = sorted({k: i for i, k in enumerate(keys) if k not in self._answers}.items())
        errors: dict[str, JudgeError] = {}
        for start in range(0, len(todo), self.batch_size):
            batch = todo[start : start + self.batch_size]
            refusal = self.budget(len(batch), Usage(), 0) if self.budget is not None else None
            if refusal is not None:
                errors.update((k, JudgeError(refusal)) for k, _ in todo[start:])
                self.failed += len(todo) - start
                break
            got = self.backend.complete([queries[i].messages for _, i in batch])
            fresh: list[tuple[str, Answer]] = []
            spent = Usage()
            for (k, _), answer in zip(batch, got, strict=True):
                self.asked += 1
                if isinstance(answer, Exception):
                    self.failed += 1
                    errors[k] = JudgeError(str(answer))
                    continue
                spent = spent + answer.usage
                fresh.append((k, answer))
            self.usage = self.usage + spent
            if self.budget is not None:
                self.budget(0, spent, len(batch))  # charge what this batch cost
            self._store(fresh)
            self._answers.update(fresh)
        return [errors[k] if k in errors else self._answers[k] for k in keys]

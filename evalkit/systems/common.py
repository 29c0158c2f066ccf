"""Helpers shared by the system kinds: failure messages, answer checks, code fingerprints."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from evalkit.errors import SystemFailure
from evalkit.systems.base import Request
from evalkit.systems.secrets import scrub

#: Answers longer than this many characters fail their batch (override: ``max_output_chars``).
DEFAULT_MAX_OUTPUT_CHARS = 100_000


def describe_ids(ids: Sequence[str], limit: int = 3) -> str:
    """``a, b, c (+4 more)``: example ids for one-line messages."""
    shown = ", ".join(ids[:limit])
    return shown + (f" (+{len(ids) - limit} more)" if len(ids) > limit else "")


def system_failure(name: str, requests: Sequence[Request], message: str) -> SystemFailure:
    """The one-line error of a failed batch, naming the system and its example ids."""
    ids = [r.id for r in requests]
    text = scrub(" ".join(message.split()))
    return SystemFailure(
        f"system {name!r} failed on {len(ids)} example(s) [{describe_ids(ids)}]: {text}"
    )


def check_answers(
    name: str,
    requests: Sequence[Request],
    answers: Any,
    *,
    max_chars: int = DEFAULT_MAX_OUTPUT_CHARS,
) -> list[str]:
    """Validate a system's answers to ``requests``: a list of text, one per request.

    Raises:
        SystemFailure: for a wrong count, a non-text answer, text that is not valid
            Unicode (lone surrogates), or an answer longer than ``max_chars``.
    """
    if not isinstance(answers, (list, tuple)):
        raise system_failure(
            name,
            requests,
            f"expected a list of {len(requests)} texts, got {type(answers).__name__}",
        )
    if len(answers) != len(requests):
        raise system_failure(
            name, requests, f"answered {len(answers)} outputs for {len(requests)} requests"
        )
    out: list[str] = []
    for req, answer in zip(requests, answers, strict=True):
        problem = answer_problem(answer, max_chars=max_chars)
        if problem is not None:
            raise system_failure(name, [req], problem)
        out.append(answer)
    return out


def answer_problem(answer: Any, *, max_chars: int = DEFAULT_MAX_OUTPUT_CHARS) -> str | None:
    """What is wrong with one answer (not text, invalid Unicode, too long), or None."""
    if not isinstance(answer, str):
        return f"output is {type(answer).__name__}, not text"
    try:
        answer.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"output is not valid Unicode text ({exc.reason})"
    if len(answer) > max_chars:
        return f"output has {len(answer):,} characters, over max_output_chars={max_chars:,}"
    return None


def files_fingerprint(paths: Iterable[Path]) -> str:
    """A short hash of the contents of ``paths`` (missing files are skipped)."""
    h = hashlib.sha256()
    found = False
    for path in sorted(set(paths)):
        if path.is_file():
            found = True
            h.update(str(path.name).encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()[:12] if found else ""

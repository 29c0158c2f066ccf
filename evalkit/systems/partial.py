"""How a system reports that it answered part of a batch.

A system's ``translate_batch`` returns one text per request or raises. A system that
answered some requests and then failed (a program that printed some lines and died, an
outputs file without some ids) raises :class:`PartialAnswers` with what it has: the
runner keeps those outputs, and only the other requests fail (and are retried).
Systems that never raise it work as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from evalkit.errors import SystemError_
from evalkit.systems.base import Request
from evalkit.systems.common import (
    DEFAULT_MAX_OUTPUT_CHARS,
    answer_problem,
    check_answers,
    system_failure,
)


class PartialAnswers(SystemError_):
    """Some requests of a batch were answered, the others were not.

    Args:
        answered: Request id -> output, for the requests that were answered.
        reason: Why the others were not (one line, without the ids: the runner adds them).
        message: The whole message (default: made from ``reason``); name the system and
            the unanswered ids, as :func:`~evalkit.systems.common.system_failure` does.
    """

    def __init__(self, answered: Mapping[str, object], reason: str, message: str | None = None):
        self.answered = dict(answered)
        self.reason = reason
        super().__init__(
            message or f"answered {len(self.answered)} request(s), then failed: {reason}"
        )


def split_answers(
    name: str,
    requests: Sequence[Request],
    answers: Any,
    *,
    max_chars: int = DEFAULT_MAX_OUTPUT_CHARS,
) -> tuple[dict[str, str], SystemError_ | None]:
    """The valid answers by request id, and the error of the requests without one.

    ``answers`` must be a list with one answer per request (else none is valid); an
    answer that is not valid text (None, a number, lone surrogates, over ``max_chars``)
    fails its own request only. The error names every failed request and each cause.
    """
    if not isinstance(answers, (list, tuple)) or len(answers) != len(requests):
        try:
            check_answers(name, requests, answers, max_chars=max_chars)
        except SystemError_ as exc:
            return {}, exc
    good: dict[str, str] = {}
    bad: list[Request] = []
    problems: dict[str, None] = {}
    for req, answer in zip(requests, answers, strict=True):
        problem = answer_problem(answer, max_chars=max_chars)
        if problem is None:
            good[req.id] = answer
        else:
            bad.append(req)
            problems[problem] = None
    if not bad:
        return good, None
    return good, system_failure(name, bad, "; ".join(problems))


def checked_answers(
    name: str,
    requests: Sequence[Request],
    answers: Any,
    *,
    max_chars: int = DEFAULT_MAX_OUTPUT_CHARS,
) -> list[str]:
    """``answers`` when every one is valid text; else :class:`PartialAnswers` with the valid
    ones (or the batch's error when the list itself is wrong)."""
    good, error = split_answers(name, requests, answers, max_chars=max_chars)
    if error is None:
        return [good[r.id] for r in requests]
    if not good:
        raise error
    raise PartialAnswers(good, str(error).split("]: ", 1)[-1], str(error))

"""How a system reports that it answered part of a batch.

A system's ``translate_batch`` returns one text per request or raises. A system that
answered some requests and then failed (a program that printed some lines and died, an
outputs file without some ids) raises :class:`PartialAnswers` with what it has: the
runner keeps those outputs, and only the other requests fail (and are retried).
Systems that never raise it work as before.
"""

from __future__ import annotations

from collections.abc import Mapping

from evalkit.errors import SystemError_


class PartialAnswers(SystemError_):
    """Some requests of a batch were answered, the others were not.

    Args:
        answered: Request id -> output, for the requests that were answered.
        reason: Why the others were not (one line, without the ids: the runner adds them).
    """

    def __init__(self, answered: Mapping[str, object], reason: str):
        self.answered = dict(answered)
        self.reason = reason
        super().__init__(f"answered {len(self.answered)} request(s), then failed: {reason}")

"""MQM and ESA answers: error spans, GEMBA-MQM's score, GEMBA's number parser.

The answer format is GEMBA's few-shot format::

    Critical:
    no-error
    Major:
    accuracy/mistranslation - "involvement"
    Minor:
    fluency/grammar - "wäre"

Parsing follows GEMBA's ``parse_mqm_answer`` (severity headers, ``no-error`` lines
skipped, non-translation counted as critical, every other line under a header is an
error) with one deliberate difference: an answer with no severity header at all is
*unparseable* (None), where GEMBA scores it 0, the best score. A judge that did not
answer the question must not make a translation perfect.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from evalkit.judges.spans import ErrorSpan, locate

MQM_SEVERITIES = ("critical", "major", "minor")
ESA_SEVERITIES = ("major", "minor")
#: GEMBA-MQM's weights; at most :data:`MAX_COUNTED` errors count and the penalty is
#: capped at :data:`MAX_PENALTY`; the score is the negated penalty (0 best, -25 worst).
WEIGHTS = {"critical": 25, "major": 5, "minor": 1}
MAX_COUNTED = 5
MAX_PENALTY = 25

_HEADER = re.compile(r"^(critical|major|minor)(?:\s+errors?)?\s*:\s*(.*)$", re.I)
_NO_ERROR = re.compile(r"no[- ]error", re.I)
_QUOTE = re.compile(r"[\"“”„「『](.*)[\"“”」』]", re.S)


def _clean(line: str) -> str:
    return line.strip().strip("*#_`").strip()


def _error(line: str, severity: str, translation: str) -> ErrorSpan:
    quote_match = _QUOTE.search(line)
    quote = quote_match.group(1) if quote_match else None
    head = line[: quote_match.start()] if quote_match else line
    category = re.sub(r"\s*[-–:]\s*$", "", head.strip().lstrip("-•* ")).strip().lower()
    if "non-translation" in line.lower():
        severity = "critical"  # GEMBA: a non-translation is always critical
    start, end = locate(quote, translation)
    return ErrorSpan(severity, category or "other", quote, start, end)


def parse_error_spans(
    answer: str, translation: str, *, severities: Sequence[str] = MQM_SEVERITIES
) -> list[ErrorSpan] | None:
    """The errors of an MQM/ESA answer, or None when the answer is not in that format."""
    spans: list[ErrorSpan] = []
    level: str | None = None
    headers = 0
    for raw in answer.splitlines():
        line = _clean(raw)
        header = _HEADER.match(line)
        if header and header.group(1).lower() in severities:
            level, headers, line = header.group(1).lower(), headers + 1, header.group(2).strip()
        if not line or _NO_ERROR.search(line) or level is None:
            continue
        spans.append(_error(line, level, translation))
    if headers == 0:
        stripped = answer.strip().strip(".!*").strip()
        return [] if _NO_ERROR.fullmatch(stripped) or stripped.lower() == "no errors" else None
    return spans


def mqm_score(spans: Sequence[ErrorSpan]) -> float:
    """GEMBA-MQM's score: the first five errors (critical, then major, then minor)
    weighted 25/5/1, the penalty capped at 25 and negated."""
    ordered = [s for sev in MQM_SEVERITIES for s in spans if s.severity == sev]
    penalty = sum(WEIGHTS[s.severity] for s in ordered[:MAX_COUNTED])
    return -float(min(penalty, MAX_PENALTY))


def parse_number(answer: str, low: int = 0, high: int = 100) -> int | None:
    """GEMBA's ``validate_number``: the one number of an answer, within ``[low, high]``.

    Accepted: a single integer anywhere in the text, ``['90']``, or ``90/100``.
    """
    text = answer.strip()
    numbers = re.findall(r"\d+", text)
    value: int | None = None
    if len(numbers) == 1:
        value = int(numbers[0])
    elif re.fullmatch(r"\[['\"][0-9]*['\"]\]", text) and text[2:-2]:
        value = int(text[2:-2])
    elif re.fullmatch(rf"[0-9]+/{high}", text):
        value = int(text.split("/")[0])
    if value is None or not low <= value <= high:
        return None
    return value

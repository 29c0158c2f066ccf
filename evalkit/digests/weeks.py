"""Week headers of the digests, turned into ISO weeks.

Two spellings occur:

- ``[2023/10/09 ~ 10/15]`` (PyTorchKR posts): a Monday-to-Sunday range; the end has
  no year and may fall in the next one (``[2024/12/30 ~ 01/05]``);
- ``2023년 8월 1주차`` (weekly notes): the n-th week of a month, where weeks run Monday
  to Sunday and belong to the month that holds their Thursday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_RANGE = re.compile(
    r"\[\s*(\d{4})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[~〜～–-]\s*"
    r"(?:(\d{4})\s*[/.-]\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*\]"
)
_MONTH_WEEK = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*(?:째\s*)?주\s*(?:차)?")


@dataclass(frozen=True)
class Week:
    """An ISO week: label ``2023-W41``, Monday ``start`` and Sunday ``end``."""

    label: str
    start: date
    end: date

    @classmethod
    def of(cls, day: date) -> Week:
        """The ISO week holding ``day``."""
        year, number, _ = day.isocalendar()
        monday = day - timedelta(days=day.weekday())
        return cls(f"{year}-W{number:02d}", monday, monday + timedelta(days=6))


class WeekError(ValueError):
    """A week header that names an impossible date."""


def parse_range(line: str) -> tuple[Week, str | None] | None:
    """Parse a ``[YYYY/MM/DD ~ MM/DD]`` header at the start of ``line``.

    Returns:
        None if the line does not start with such a header; else the ISO week of the
        start date and, when the header's dates are not exactly that Monday-to-Sunday
        week, a note saying what was adjusted.

    Raises:
        WeekError: when the header names an impossible date.
    """
    m = _RANGE.match(line)
    if m is None:
        return None
    y1, m1, d1, y2, m2, d2 = m.groups()
    try:
        start = date(int(y1), int(m1), int(d1))
    except ValueError as exc:
        raise WeekError(f"impossible start date in week header {m.group(0)!r}: {exc}") from exc
    end_year = int(y2) if y2 else start.year
    try:
        end = date(end_year, int(m2), int(d2))
        if not y2 and end < start:
            end = date(start.year + 1, int(m2), int(d2))
    except ValueError as exc:
        raise WeekError(f"impossible end date in week header {m.group(0)!r}: {exc}") from exc
    try:
        week = Week.of(start)
    except OverflowError as exc:
        raise WeekError(f"week header {m.group(0)!r} is out of range") from exc
    note = None
    if (start, end) != (week.start, week.end):
        note = (
            f"header {m.group(0)} is not a Monday-to-Sunday week; used ISO week "
            f"{week.label} ({week.start} .. {week.end})"
        )
    return week, note


def parse_month_week(line: str) -> Week | None:
    """Parse a ``2023년 8월 1주차`` header at the start of ``line``.

    Raises:
        WeekError: for a month or week number that does not exist.
    """
    m = _MONTH_WEEK.match(line)
    if m is None:
        return None
    year, month, nth = (int(g) for g in m.groups())
    if not 1 <= month <= 12 or not 1 <= year <= 9998:
        raise WeekError(f"impossible month in week header {m.group(0)!r}")
    try:
        first = date(year, month, 1)
        first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
        thursday = first_thursday + timedelta(weeks=nth - 1)
        if nth < 1 or thursday.month != month:
            raise WeekError(f"{m.group(0)!r}: {year}-{month:02d} has no week {nth}")
        return Week.of(thursday)
    except OverflowError as exc:
        raise WeekError(f"week header {m.group(0)!r} is out of range") from exc

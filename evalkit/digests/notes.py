"""Weekly paper notes: a reader's notes on English papers, assembled under week headers.

::

    2023년 8월 1주차
    https://arxiv.org/abs/2308.00675
    English title (Author, Author, ...)
    zero or more lines of Korean commentary
    #tag #tag                                   (optional)

Each note follows the grammar of :mod:`evalkit.digests.note_parser` (the same as one
note per file): since 2024 also an emphasized title, an English abstract as a quote
and an ``<english>`` block. ``--arxiv-metadata`` can add the abstracts.
"""

from __future__ import annotations

from pathlib import Path

from evalkit.digests import note_lines as nl
from evalkit.digests.model import ParseResult
from evalkit.digests.note_parser import NoteParser, lines_of
from evalkit.digests.weeks import Week, WeekError, parse_month_week, parse_range

FORMAT = "paper-notes"

__all__ = ["FORMAT", "count_notes", "count_weeks", "is_title_line", "parse", "week_of"]

is_title_line = nl.is_title_line


def week_of(line: str) -> Week | None:
    """A notes week header (``2023년 8월 1주차``, or a ``[YYYY/MM/DD ~ MM/DD]`` range).

    Raises:
        WeekError: for a header naming an impossible week.
    """
    week = parse_month_week(line)
    if week is not None:
        return week
    found = parse_range(line) if line.startswith("[") else None
    return found[0] if found else None


def parse(lines: list[str], *, file: str) -> ParseResult:
    """Parse the clean lines of a notes file (see :func:`evalkit.digests.reader.decode`)."""
    parser = NoteParser(file, Path(file).name, FORMAT, "week", week_of=week_of)
    return parser.run(lines_of(lines))


def count_notes(lines: list[str]) -> int:
    """Lines that look like notes structure: week headers and title lines (for detection)."""
    n = 0
    for item in lines_of(lines):
        try:
            if parse_month_week(item.s) is not None:
                n += 1
                continue
        except WeekError:
            n += 1
            continue
        if nl.is_title_line(item.s):
            n += 1
    return n


def count_weeks(lines: list[str]) -> int:
    """Week header lines (``2023년 8월 1주차``) among ``lines``, impossible ones included."""
    n = 0
    for item in lines_of(lines):
        if item.s[:1].isdigit():
            try:
                n += parse_month_week(item.s) is not None
            except WeekError:
                n += 1
    return n

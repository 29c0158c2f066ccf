"""Paper notes as published: one Markdown file per paper, ``arXiv/YYYY/YYMMDD Title.md``.

The date in the file name is the paper's, so the note's week is the ISO week of that
date (``240307 Yi.md`` -> 2024-W10). The note itself follows the grammar of
:mod:`evalkit.digests.note_parser`. A file name without the date is a reported problem
(line 1), and so is a note with neither a link nor a title line.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from evalkit.digests.model import ParseResult, Problem
from evalkit.digests.note_parser import NoteParser, lines_of
from evalkit.digests.weeks import Week

FORMAT = "paper-note"
_DATE = re.compile(r"(?:(\d{2})(\d{2})(\d{2})|(\d{4})-(\d{2})-(\d{2}))(?!\d)")


def week_of_name(name: str) -> tuple[Week | None, str | None]:
    """The week of a note from its file name (``YYMMDD ...`` or ``YYYY-MM-DD ...``).

    Returns:
        ``(week, None)``, or ``(None, why)`` when the name has no valid date.
    """
    m = _DATE.match(name)
    if m is None:
        return None, "file name does not start with the note's date (YYMMDD Title.md)"
    if m.group(1):
        year, month, day = 2000 + int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        year, month, day = int(m.group(4)), int(m.group(5)), int(m.group(6))
    try:
        return Week.of(date(year, month, day)), None
    except ValueError as exc:
        return None, f"file name date {m.group(0)!r} is not a date ({exc})"


def _without_front_matter(lines: list[str]) -> list[str]:
    """Blank out a YAML front matter block (``---`` ... ``---`` opening the file)."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None or lines[first] != "---":
        return lines
    end = next((i for i in range(first + 1, len(lines)) if lines[i] == "---"), None)
    if end is None:
        return lines
    return [""] * (end + 1) + lines[end + 1 :]


def parse(lines: list[str], *, file: str) -> ParseResult:
    """Parse the clean lines of one note file (see :func:`evalkit.digests.reader.decode`)."""
    name = Path(file).name
    week, why = week_of_name(name)
    items = lines_of(_without_front_matter(lines))
    if week is None:
        return ParseResult(problems=[Problem(file, 1, f"{why}; note skipped", "no_week")])
    if not items:
        return ParseResult(problems=[Problem(file, 1, "empty note", "empty_note")])
    return NoteParser(file, name, FORMAT, "file", week=week).run(items)

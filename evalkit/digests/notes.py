"""Weekly paper notes: a reader's Korean commentary on English papers.

::

    2023년 8월 1주차
    https://arxiv.org/abs/2308.00675
    English title (Author, Author, ...)
    zero or more lines of Korean commentary
    #tag #tag                                   (optional)

No English summaries or abstracts: ``--arxiv-metadata`` can add the abstracts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from evalkit.digests import text as tx
from evalkit.digests.model import Entry, ParseResult, Problem, flag, texts
from evalkit.digests.weeks import Week, WeekError, parse_month_week, parse_range

FORMAT = "paper-notes"
_MAX_TITLE = 500


@dataclass
class _Note:
    line: int
    week: Week | None
    links: list[str] = field(default_factory=list)
    title: str | None = None
    title_line: int = 0
    authors: list[str] = field(default_factory=list)
    commentary: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    skipped: bool = False


def is_title_line(s: str) -> bool:
    """``English title (Author, ...)``: no Korean or Japanese, a closing author group."""
    if not 0 < len(s) <= _MAX_TITLE or tx.has_native(s) or not s.endswith(")"):
        return False
    title, authors = tx.parse_authors(s)
    return bool(authors) and any(ch.isalpha() for ch in title)


def week_of(line: str) -> tuple[Week, str | None] | None:
    """A notes week header (``2023년 8월 1주차``, or a ``[YYYY/MM/DD ~ MM/DD]`` range)."""
    week = parse_month_week(line)
    if week is not None:
        return week, None
    return parse_range(line) if line.startswith("[") else None


class _Parser:
    def __init__(self, lines: list[str], file: str):
        self.file = file
        self.name = Path(file).name
        self.lines = lines
        self.result = ParseResult()
        self.week: Week | None = None
        self.note: _Note | None = None

    def problem(self, line: int, message: str, code: str) -> None:
        self.result.problems.append(Problem(self.file, line, message, code))

    def items(self) -> list[tuple[int, str, object]]:
        out: list[tuple[int, str, object]] = []
        for number, raw in enumerate(self.lines, start=1):
            s = tx.strip_markers(raw) if raw else ""
            if not s:
                continue
            try:
                week = week_of(s)
            except WeekError as exc:
                out.append((number, "week_error", str(exc)))
                continue
            if week is not None:
                out.append((number, "week", week[0]))
            elif tx.is_url(s):
                out.append((number, "url", tx.url_of(s)))
            elif (tags := tx.hash_tag_line(s)) is not None:
                out.append((number, "tags", tags))
            else:
                out.append((number, "text", s))
        return out

    def run(self) -> ParseResult:
        items = self.items()
        for i, (number, kind, value) in enumerate(items):
            nxt = items[i + 1] if i + 1 < len(items) else None
            note = self.note
            if kind == "week":
                self.close()
                self.week = cast(Week, value)
            elif kind == "week_error":
                self.close()
                self.problem(number, f"{value}; papers up to the next week header skipped", "week")
                self.week = None
            elif kind == "url":
                url = str(value)
                # An arXiv link opens a paper; another link followed by commentary is
                # part of the current note.
                continues = (
                    tx.arxiv_id(url) is None
                    and nxt is not None
                    and (nxt[1] == "tags" or (nxt[1] == "text" and tx.has_native(str(nxt[2]))))
                )
                if note is not None and not note.skipped and (note.title is None or continues):
                    note.links.append(url)
                else:
                    self.close()
                    self.note = _Note(number, self.week, links=[url])
            elif kind == "tags":
                if note is not None and not note.skipped:
                    note.tags.extend(cast("list[str]", value))
            else:
                self.text(number, str(value))
        self.close()
        return self.result

    def text(self, number: int, s: str) -> None:
        note = self.note
        if note is not None and note.title is None and not note.skipped:
            if tx.has_native(s) or len(s) > _MAX_TITLE:
                self.problem(
                    note.line,
                    "link is followed by commentary, not by 'English title (Authors)';"
                    " paper skipped",
                    "no_english_title",
                )
                note.skipped = True
                return
            note.title, note.authors = tx.parse_authors(s)
            note.title_line = number
        elif is_title_line(s) and (note is None or note.title is not None or note.skipped):
            self.close()
            title, authors = tx.parse_authors(s)
            self.note = _Note(number, self.week, title=title, title_line=number, authors=authors)
        elif note is not None and not note.skipped:
            note.commentary.append(s)

    def close(self) -> None:
        note, self.note = self.note, None
        if note is None or note.skipped:
            return
        if note.title is None:
            self.problem(
                note.line,
                "link has no 'English title (Authors)' line after it; paper skipped",
                "no_english_title",
            )
            return
        quoted = repr(tx.one_line(note.title))
        if note.week is None:
            self.problem(
                note.title_line,
                f"paper {quoted} has no week: no valid 'YYYY년 M월 N주차' header before it;"
                " paper skipped",
                "no_week",
            )
            return
        flags = []
        if not note.authors:
            flags.append(flag("authors_missing", None, "title line has no '(Author, ...)' group"))
        if not note.links:
            flags.append(flag("link_missing", None, "no link line before the title"))
        paras, tags = note.commentary, list(note.tags)
        if paras:
            last, found = tx.strip_trailing_tags(paras[-1])
            if found:
                tags.extend(found)
                flags.append(flag("tags_stripped", "commentary", f"ko: {' '.join(found)}"))
                paras[-1] = last
                if not last:
                    paras.pop()
        links = list(dict.fromkeys(note.links))
        self.result.entries.append(
            Entry(
                file=self.name,
                format=FORMAT,
                line=note.title_line,
                week=note.week,
                title=texts(en=note.title),
                commentary={"ko": "\n".join(paras) or None},
                arxiv_id=next((a for a in map(tx.arxiv_id, links) if a), None),
                authors=note.authors,
                tags=list(dict.fromkeys(tags)),
                links=links,
                flags=flags,
            )
        )


def parse(lines: list[str], *, file: str) -> ParseResult:
    """Parse the clean lines of a notes file (see :func:`evalkit.digests.reader.decode`)."""
    return _Parser(lines, file).run()


def count_notes(lines: list[str]) -> int:
    """Lines that look like notes structure: week headers and title lines (for detection)."""
    n = 0
    for line in lines:
        s = tx.strip_markers(line) if line else ""
        if not s:
            continue
        try:
            if parse_month_week(s) is not None:
                n += 1
                continue
        except WeekError:
            n += 1
            continue
        if is_title_line(s):
            n += 1
    return n

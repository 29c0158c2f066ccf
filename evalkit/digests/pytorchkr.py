"""The engine shared by the PyTorchKR weekly posts, Korean and Japanese editions.

A post is a week header, an introduction, then one block per paper::

    native title / English title
    <summary label>      native paragraph(s), then the English original
    <abstract label>     native paragraph(s), then the English original   (optional)
    <links label>        URLs (optional)
    <more label>         URLs (optional)
    ...
    <closing label>      boilerplate to the end

The editions differ in their labels and markup (``pytorchkr_ko``, ``pytorchkr_ja``).
Parsing is one pass over classified lines with one line of look-ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from evalkit.digests import text as tx
from evalkit.digests.model import Entry, ParseResult, Problem, flag, texts
from evalkit.digests.pytorchkr_lines import (
    ABSTRACT,
    CLOSING,
    LINKS,
    MORE,
    SUMMARY,
    TEXT_SECTIONS,
    Dialect,
    Item,
    classify,
    count_labels,
    label_of,
)
from evalkit.digests.weeks import Week

__all__ = [
    "ABSTRACT",
    "CLOSING",
    "LINKS",
    "MORE",
    "SUMMARY",
    "Dialect",
    "count_labels",
    "label_of",
    "parse",
]

PREAMBLE, HEADING, ORPHAN = "preamble", "heading", "orphan"
_MAX_HEADING = 300


@dataclass
class _Section:
    label: str
    line: int
    native: list[str] = field(default_factory=list)
    english: list[str] = field(default_factory=list)


@dataclass
class _Draft:
    line: int
    heading: str
    week: Week | None
    week_note: str | None
    sections: dict[str, _Section] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _title_like(s: str) -> bool:
    return (
        0 < len(s) <= _MAX_HEADING and not s.endswith((".", "。")) and any(ch.isalpha() for ch in s)
    )


def _both_halves(s: str) -> bool:
    if not _title_like(s) or (" / " not in s and " ／ " not in s):
        return False
    native, english = tx.split_heading(s)
    return native is not None and english is not None


#: Problems kept per file; the rest are only counted (``ParseResult.dropped``).
MAX_PROBLEMS = 101


class _Parser:
    def __init__(self, lines: list[str], file: str, dialect: Dialect):
        self.file = file
        self.name = Path(file).name
        self.d = dialect
        self.items = classify(lines, dialect)
        self.result = ParseResult()
        self.week: Week | None = None
        self.week_note: str | None = None
        self.draft: _Draft | None = None
        self.section = PREAMBLE

    def problem(self, line: int, message: str, code: str) -> None:
        # Bounded: a pathological file (a million headings) keeps its count, not a
        # million objects (extract lists the first problems and counts the rest).
        if len(self.result.problems) < MAX_PROBLEMS:
            self.result.problems.append(Problem(self.file, line, message, code))
        else:
            self.result.dropped += 1

    def run(self) -> ParseResult:
        items = self.items
        for i, (number, kind, value, extra) in enumerate(items):
            nxt = items[i + 1] if i + 1 < len(items) else None
            if kind == "text":
                self.text(number, cast(str, value), nxt)
            elif kind == "label":
                self.label(number, str(value), str(extra))
            elif kind == "url":
                if self.draft is not None and self.section not in (PREAMBLE, CLOSING, ORPHAN):
                    self.draft.links.append(str(value))
            elif kind == "tags":
                if self.draft is not None and self.section not in (PREAMBLE, CLOSING, ORPHAN):
                    self.draft.tags.extend(cast("list[str]", value))
            elif kind == "week":
                self.close()
                self.week = cast(Week, value)
                self.week_note = extra if isinstance(extra, str) else None
                self.section = PREAMBLE
            elif kind == "week_error":
                self.close()
                self.problem(number, f"{value}; papers up to the next week header skipped", "week")
                self.week, self.week_note = None, None
                self.section = PREAMBLE
        self.close()
        return self.result

    def is_heading(self, s: str, nxt: Item | None) -> bool:
        if _both_halves(s):
            return True
        if not _title_like(s):
            return False
        if nxt is not None and nxt[1] == "label":
            if nxt[2] == SUMMARY:
                return True
            if nxt[2] == ABSTRACT and self.section not in (SUMMARY, HEADING):
                return True
        return self.section in (LINKS, MORE) and not tx.has_native(s)

    def text(self, number: int, s: str, nxt: Item | None) -> None:
        if self.is_heading(s, nxt):
            self.close()
            self.draft = _Draft(number, s, self.week, self.week_note)
            self.section = HEADING
            return
        draft, section = self.draft, self.section
        if draft is None or section in (PREAMBLE, CLOSING, ORPHAN):
            return
        if section in TEXT_SECTIONS:
            sec = draft.sections[section]
            (sec.native if tx.is_native(s, self.d.lang) else sec.english).append(s)
        elif section == HEADING:
            self.problem(
                number,
                f"text after heading {tx.one_line(draft.heading)!r} before any section label;"
                " skipped",
                "stray_text",
            )
        else:
            self.problem(number, f"unexpected text in the {section} section; skipped", "stray_text")

    def label(self, number: int, section: str, label: str) -> None:
        if section == CLOSING:
            self.close()
            self.section = CLOSING
            return
        draft = self.draft
        if draft is None:
            self.problem(
                number,
                f"section label {label!r} with no paper heading before it;"
                " skipped up to the next heading",
                "orphan_section",
            )
            self.section = ORPHAN
            return
        if section in TEXT_SECTIONS:
            if section in draft.sections:
                self.problem(
                    number,
                    f"second {label!r} section in paper {tx.one_line(draft.heading)!r}"
                    " (missing paper heading?); skipped up to the next heading",
                    "repeated_section",
                )
                self.section = ORPHAN
                return
            draft.sections[section] = _Section(label, number)
        self.section = section

    def close(self) -> None:
        draft, self.draft = self.draft, None
        self.section = PREAMBLE
        if draft is not None:
            entry = self.finish(draft)
            if entry is not None:
                self.result.entries.append(entry)

    def finish(self, draft: _Draft) -> Entry | None:
        d, lang = self.d, self.d.lang
        quoted = repr(tx.one_line(draft.heading))
        native_title, en_title = tx.split_heading(draft.heading)
        if en_title is None:
            self.problem(
                draft.line,
                f"heading {quoted} has no English title (expected '{d.language} title /"
                " English title'); paper skipped",
                "no_english_title",
            )
            return None
        if draft.week is None:
            self.problem(
                draft.line,
                f"paper {quoted} has no week: no valid '[YYYY/MM/DD ~ MM/DD]' header before it;"
                " paper skipped",
                "no_week",
            )
            return None
        flags = []
        if draft.week_note:
            flags.append(flag("week_adjusted", None, draft.week_note))
        if native_title is None:
            native_title = en_title
            flags.append(
                flag(
                    "title_untranslated", "title", f"no {d.language} title; the English one stands"
                )
            )
        fields: dict[str, dict[str, str | None]] = {}
        tags = list(draft.tags)
        for name in TEXT_SECTIONS:
            sec = draft.sections.get(name)
            if sec is None:
                fields[name] = texts()
                continue
            for side, paras, bare in ((lang, sec.native, d.bare_tags), ("en", sec.english, False)):
                if paras:
                    last, found = tx.strip_trailing_tags(paras[-1], bare=bare)
                    if found:
                        tags.extend(found)
                        flags.append(flag("tags_stripped", name, f"{side}: {' '.join(found)}"))
                        paras[-1] = last
                        if not last:
                            paras.pop()
            what = f"section {sec.label!r} of paper {quoted}"
            if not sec.native and not sec.english:
                self.problem(sec.line, f"{what} has nothing under it", "empty_section")
            elif not sec.native:
                self.problem(sec.line, f"{what} has no {d.language} text", "missing_native")
            elif not sec.english:
                self.problem(sec.line, f"{what} has no English text", "missing_english")
            fields[name] = texts(en="\n".join(sec.english), **{lang: "\n".join(sec.native)})
        if not draft.sections:
            self.problem(
                draft.line, f"paper {quoted} has no summary or abstract section", "no_sections"
            )
        links = list(dict.fromkeys(draft.links))
        arxiv = next((a for a in map(tx.arxiv_id, links) if a), None)
        return Entry(
            file=self.name,
            format=d.format,
            line=draft.line,
            week=draft.week,
            title=texts(en=en_title, **{lang: native_title}),
            summary=fields[SUMMARY],
            abstract=fields[ABSTRACT],
            arxiv_id=arxiv,
            tags=list(dict.fromkeys(tags)),
            links=links,
            flags=flags,
        )


def parse(lines: list[str], *, file: str, dialect: Dialect) -> ParseResult:
    """Parse the clean lines of one post (see :func:`evalkit.digests.reader.decode`)."""
    return _Parser(lines, file, dialect).run()

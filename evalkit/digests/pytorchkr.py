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

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from evalkit.digests import text as tx
from evalkit.digests.model import Entry, ParseResult, Problem, flag, texts
from evalkit.digests.weeks import Week, WeekError, parse_range

SUMMARY, ABSTRACT, LINKS, MORE, CLOSING = "summary", "abstract", "links", "more", "closing"
PREAMBLE, HEADING, ORPHAN = "preamble", "heading", "orphan"
TEXT_SECTIONS = (SUMMARY, ABSTRACT)
_MAX_HEADING = 300


@dataclass(frozen=True)
class Dialect:
    """What tells one edition from the other.

    Attributes:
        format: The format name (``pytorchkr-ko``).
        lang: The native language code.
        language: Its name, for messages.
        labels: Section label without spaces -> section.
        bare_tags: Whether bare lowercase words after the last sentence are tags.
    """

    format: str
    lang: str
    language: str
    labels: Mapping[str, str]
    bare_tags: bool


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


def _label_key(s: str) -> str:
    k = "".join(s.split()).rstrip(":：")
    for open_, close in (("(", ")"), ("（", "）")):
        if k.endswith(close) and open_ in k:
            j = k.rfind(open_)
            inner = k[j + 1 : -1]
            if inner.isascii() and inner.isalpha():
                k = k[:j]
    return k


def _undecorate(line: str) -> str:
    s = tx.strip_markers(line)
    if s.startswith("#"):
        stripped = s.lstrip("#")
        if stripped[:1].isspace():
            s = stripped.strip()
    if len(s) > 4 and s[:2] in ("**", "__") and s.endswith(s[:2]):
        s = s[2:-2].strip()
    return s


def label_of(line: str, labels: Mapping[str, str]) -> tuple[str, str, str] | None:
    """``(section, label, text after it)`` if ``line`` is a section label, else None.

    Accepts spacing variants, a trailing ``(Abstract)``, a colon, and text after the
    colon on the same line (``논문 링크: https://...``).
    """
    s = _undecorate(line)
    if len(s) <= 40:
        section = labels.get(_label_key(s))
        if section:
            return section, s.rstrip(":：").strip(), ""
    for sep in (":", "："):
        i = s.find(sep, 0, 40)
        if i > 0:
            section = labels.get(_label_key(s[:i]))
            if section:
                return section, s[:i].strip(), s[i + 1 :].strip()
    return None


# An item is (line number, kind, value, extra).
_Item = tuple[int, str, object, object]


def _items(lines: list[str], dialect: Dialect) -> list[_Item]:
    items: list[_Item] = []
    for number, raw in enumerate(lines, start=1):
        if not raw:
            continue
        s = _undecorate(raw)
        if not s:
            continue
        if s.startswith("["):
            try:
                found = parse_range(s)
            except WeekError as exc:
                items.append((number, "week_error", str(exc), None))
                continue
            if found is not None:
                items.append((number, "week", found[0], found[1]))
                continue
        label = label_of(raw, dialect.labels)
        if label is not None:
            section, label_text, rest = label
            items.append((number, "label", section, label_text))
            if not rest:
                continue
            s = rest
        if tx.is_url(s):
            items.append((number, "url", tx.url_of(s), None))
            continue
        tags = tx.hash_tag_line(s)
        if tags is not None:
            items.append((number, "tags", tags, None))
            continue
        items.append((number, "text", s, None))
    return items


def _title_like(s: str) -> bool:
    return (
        0 < len(s) <= _MAX_HEADING and not s.endswith((".", "。")) and any(ch.isalpha() for ch in s)
    )


def _both_halves(s: str) -> bool:
    if not _title_like(s) or (" / " not in s and " ／ " not in s):
        return False
    native, english = tx.split_heading(s)
    return native is not None and english is not None


class _Parser:
    def __init__(self, lines: list[str], file: str, dialect: Dialect):
        self.file = file
        self.name = Path(file).name
        self.d = dialect
        self.items = _items(lines, dialect)
        self.result = ParseResult()
        self.week: Week | None = None
        self.week_note: str | None = None
        self.draft: _Draft | None = None
        self.section = PREAMBLE

    def problem(self, line: int, message: str, code: str) -> None:
        self.result.problems.append(Problem(self.file, line, message, code))

    def run(self) -> ParseResult:
        items = self.items
        for i, (number, kind, value, extra) in enumerate(items):
            nxt = items[i + 1] if i + 1 < len(items) else None
            if kind == "text":
                assert isinstance(value, str)
                self.text(number, value, nxt)
            elif kind == "label":
                self.label(number, str(value), str(extra))
            elif kind == "url":
                if self.draft is not None and self.section not in (PREAMBLE, CLOSING, ORPHAN):
                    self.draft.links.append(str(value))
            elif kind == "tags":
                if self.draft is not None and self.section not in (PREAMBLE, CLOSING, ORPHAN):
                    assert isinstance(value, list)
                    self.draft.tags.extend(value)
            elif kind == "week":
                self.close()
                assert isinstance(value, Week)
                self.week, self.week_note = value, extra if isinstance(extra, str) else None
                self.section = PREAMBLE
            elif kind == "week_error":
                self.close()
                self.problem(number, f"{value}; papers up to the next week header skipped", "week")
                self.week, self.week_note = None, None
                self.section = PREAMBLE
        self.close()
        return self.result

    def is_heading(self, s: str, nxt: _Item | None) -> bool:
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

    def text(self, number: int, s: str, nxt: _Item | None) -> None:
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


def count_labels(lines: list[str], dialect: Dialect) -> int:
    """How many lines are section labels of ``dialect`` (for format detection)."""
    return sum(1 for line in lines if line and label_of(line, dialect.labels) is not None)

"""The grammar of a paper note, shared by both layouts of the notes.

A note, as written (every part but the link or the title optional)::

    https://arxiv.org/abs/2501.00001            a link line (URL, <URL>, [text](URL))
    *Title* (Author, Author, ...)               a title line; may wrap, may be doubled
    > English abstract                          quote lines
    Korean commentary                           one paragraph per line
    <english> ... </english>                    the author's English version
    #tag #tag                                   a tag line
    # Links / [[other note.md]]                 the link section

Layouts: ``file`` (one note per file: ``evalkit.digests.note_files``) and ``week``
(notes assembled under ``YYYY년 M월 N주차`` headers: ``evalkit.digests.notes``). In a
week file a note ends where the next one starts: a link line after a note's title or
text, a title line after its text, or anything after its tags. In a note file, an
arXiv link line after the note's text, followed by its own paragraphs, starts the next
paper of a note that discusses several papers: each becomes its own record, flagged
``multi_paper_note``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from evalkit.digests import note_lines as nl
from evalkit.digests import text as tx
from evalkit.digests.model import Entry, ParseResult, Problem
from evalkit.digests.weeks import Week
from evalkit.paper import flag, texts

#: Longest wrapped title, in lines.
_WRAP = 4
#: Problems kept per file; the rest are only counted (``ParseResult.dropped``).
MAX_PROBLEMS = 101


@dataclass
class Line:
    """One non-blank line: its number, its clean text, its text without markers."""

    number: int
    raw: str
    s: str
    adjacent: bool  # directly after the previous non-blank line (no blank line between)


@dataclass
class _Draft:
    line: int
    week: Week | None
    links: list[str] = field(default_factory=list)
    arxiv: str | None = None
    titles: list[tuple[int, str, list[str]]] = field(default_factory=list)
    ko: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    abstract: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    body: bool = False
    closed: bool = False
    link_section: bool = False

    def add_link(self, url: str, ident: str | None) -> None:
        self.links.append(url)
        self.arxiv = self.arxiv or ident


def _other_paper(first: tuple[str, list[str]], second: tuple[str, list[str]]) -> bool:
    """In a week file, a second title line right after a title starts another note when it
    repeats the first line (the same note twice) or names other authors; a paper renamed
    on arXiv keeps its authors (or the first line has none)."""
    if first == second:
        return True
    return bool(first[1]) and bool(second[1]) and first[1] != second[1]


def lines_of(raw_lines: list[str]) -> list[Line]:
    out: list[Line] = []
    last = -2
    for i, raw in enumerate(raw_lines):
        if not raw:
            continue
        s = tx.strip_markers(raw)
        if not s:
            continue
        out.append(Line(i + 1, raw, s, i == last + 1))
        last = i
    return out


class NoteParser:
    """Turns the lines of one file into entries, one per paper (see the module docstring).

    Args:
        file: The path, for problems.
        name: The file name recorded in sources.
        fmt: The format name recorded in sources.
        layout: ``file`` or ``week``.
        week: The week of every note (file layout), else None until a header.
        week_of: Reads a week header line (week layout): the week, or None; raises
            ``WeekError`` for an impossible one.
    """

    def __init__(
        self,
        file: str,
        name: str,
        fmt: str,
        layout: str,
        week: Week | None = None,
        week_of: Callable[[str], Week | None] | None = None,
    ):
        self.file, self.name, self.fmt, self.layout = file, name, fmt, layout
        self.week = week
        self.week_of = week_of
        self.result = ParseResult()
        self.draft: _Draft | None = None
        self.preamble: list[str] = []
        self.preamble_line = 0
        self.in_english = False
        self.papers_in_note = 0

    # ----------------------------------------------------------------- helpers
    def problem(self, line: int, message: str, code: str) -> None:
        if len(self.result.problems) < MAX_PROBLEMS:
            self.result.problems.append(Problem(self.file, line, message, code))
        else:
            self.result.dropped += 1

    def start(self, number: int, *, multi: bool = False) -> _Draft:
        self.close()
        self.draft = _Draft(number, self.week)
        if multi:
            self.draft.notes.append("multi")
        return self.draft

    # -------------------------------------------------------------------- run
    def run(self, lines: list[Line]) -> ParseResult:
        i = 0
        while i < len(lines):
            i = self.step(lines, i)
        self.close()
        if self.preamble:
            self.problem(
                self.preamble_line,
                "text that belongs to no note (no link or title line follows it)",
                "stray_text",
            )
        if self.in_english:
            self.problem(lines[-1].number, "<english> block is not closed", "english_block")
        return self.result

    def step(self, lines: list[Line], i: int) -> int:
        item = lines[i]
        s, d = item.s, self.draft
        if self.in_english:
            self.english(item.s)
            return i + 1
        if self.layout == "week" and self.week_of is not None:
            from evalkit.digests.weeks import WeekError

            try:
                week = self.week_of(s)
            except WeekError as exc:
                self.close()
                self.problem(
                    item.number, f"{exc}; papers up to the next week header skipped", "week"
                )
                self.week = None
                return i + 1
            if week is not None:
                self.close()
                self.week = week
                return i + 1
        low = s.lower()
        if low.startswith("<english>"):
            self.in_english = True
            self.english(s[len("<english>") :])
            return i + 1
        link = nl.link_of(s)
        if link is not None:
            self.link(lines, i, *link)
            return i + 1
        if nl.is_links_header(s):
            if d is not None:
                d.link_section = d.closed = True
            return i + 1
        if nl.only_wiki_links(s):
            if d is not None:
                d.links.extend(nl.wiki_links(s))
            return i + 1
        tags = tx.hash_tag_line(s)
        if tags is not None:
            if d is not None:
                d.tags.extend(tags)
                d.closed = True
            else:
                self.problem(item.number, "tag line outside any note", "stray_text")
            return i + 1
        return self.text(lines, i)

    def english(self, s: str) -> None:
        d = self.draft
        end = s.lower().find("</english>")
        if end >= 0:
            self.in_english = False
            s = s[:end]
        s = tx.strip_markers(nl.drop_wiki_markup(s))
        if s and d is not None:
            d.en.append(s)
            d.body = True

    def link(self, lines: list[Line], i: int, url: str, ident: str | None) -> None:
        d = self.draft
        number = lines[i].number
        if d is None or (self.layout == "week" and (d.titles or d.body or d.closed)):
            self.start(number).add_link(url, ident)
        elif d.link_section:
            d.links.append(url)
        elif (
            self.layout == "file"
            and ident is not None
            and ident != d.arxiv
            and (d.body or d.closed)
            and self._paragraphs_follow(lines, i)
        ):
            self.papers_in_note += 1
            self.start(number, multi=True).add_link(url, ident)
        else:
            d.add_link(url, ident)

    @staticmethod
    def _paragraphs_follow(lines: list[Line], i: int) -> bool:
        nxt = lines[i + 1].s if i + 1 < len(lines) else ""
        return bool(nxt) and nl.link_of(nxt) is None and tx.hash_tag_line(nxt) is None

    def text(self, lines: list[Line], i: int) -> int:
        item = lines[i]
        s, d = item.s, self.draft
        quote = item.raw.lstrip()[:1] in (">", "＞")
        if d is None or (self.layout == "week" and d.closed):
            title = None if quote else nl.title_of(s)
            if title is None and not quote:
                wrapped = self._wrapped(lines, i)
                if wrapped is not None:
                    title, used = wrapped
                    last = lines[i + used - 1].number
                    self.start(item.number).titles.append((last, *title))
                    self.result.covered.update(x.number for x in lines[i : i + used])
                    return i + used
            if title is not None:
                self.start(item.number).titles.append((item.number, *title))
                return i + 1
            if d is not None:
                self.close()
            if not self.preamble:
                self.preamble_line = item.number
            self.preamble.append(nl.drop_wiki_markup(s))
            return i + 1
        if not d.body and not quote:
            title = nl.title_of(s, strict=bool(d.titles) or not d.links)
            if title is None or not title[1]:
                wrapped = self._wrapped(lines, i, after_link=not d.titles)
                if wrapped is not None:  # recorded at its last line, the one with the authors
                    d.titles.append((lines[i + wrapped[1] - 1].number, *wrapped[0]))
                    self.result.covered.update(x.number for x in lines[i : i + wrapped[1]])
                    return i + wrapped[1]
            if title is not None:
                if self.layout == "week" and d.titles and _other_paper(d.titles[-1][1:], title):
                    self.start(item.number).titles.append((item.number, *title))
                    return i + 1
                d.titles.append((item.number, *title))
                return i + 1
        if self.layout == "week" and d.body and not quote and (title := nl.title_of(s)):
            self.start(item.number).titles.append((item.number, *title))
            return i + 1
        d.body = True
        if quote:
            d.abstract.append(s)
        else:
            d.ko.append(nl.drop_wiki_markup(s))
            d.links.extend(nl.wiki_links(s))
        return i + 1

    @staticmethod
    def _wrapped(
        lines: list[Line], i: int, after_link: bool = False
    ) -> tuple[tuple[str, list[str]], int] | None:
        """A title wrapped over adjacent lines, completed by its author group.

        A continuation that is a title line of its own ends the title, except right
        after a note's link, where the first line alone has no author group.
        """
        if lines[i].s.endswith(")") or tx.has_native(lines[i].s):
            return None
        joined = lines[i].s
        for k in range(1, _WRAP):
            if i + k >= len(lines):
                return None
            nxt = lines[i + k]
            if not nxt.adjacent or tx.has_native(nxt.s) or nl.link_of(nxt.s) is not None:
                return None
            if not after_link and nl.title_of(nxt.s) is not None:
                return None
            joined = f"{joined} {nxt.s}"
            title = nl.title_of(joined)
            if title is not None and title[1]:
                return title, k + 1
        return None

    # ------------------------------------------------------------------ close
    def close(self) -> None:
        d, self.draft = self.draft, None
        if d is None:
            return
        self.result.covered.update(number for number, _, _ in d.titles)
        if self.preamble:
            d.ko[:0] = self.preamble
            d.body = True
            self.preamble = []
        if not d.titles and not d.links:
            self.problem(
                d.line,
                "note has neither a link nor a title line 'Title (Authors)'; note skipped",
                "no_english_title",
            )
            return
        if d.titles:  # the title line with the author group is the heading, else the first
            main = next((t for t in d.titles if t[2]), d.titles[0])
            d.titles.remove(main)
            d.titles.insert(0, main)
        title_line, title, authors = d.titles[0] if d.titles else (d.line, None, [])
        if d.week is None:
            what = repr(tx.one_line(title)) if title else "at this line"
            self.problem(
                title_line,
                f"paper {what} has no week: no valid 'YYYY년 M월 N주차' header before it;"
                " paper skipped",
                "no_week",
            )
            return
        flags = []
        if not title:
            flags.append(flag("title_missing", None, "the note has no 'Title (Authors)' line"))
        elif not authors:
            flags.append(flag("authors_missing", None, "title line has no '(Author, ...)' group"))
        for _, other, _ in d.titles[1:]:
            flags.append(flag("title_alternative", "title", f"en: {other}"))
        if not d.links:
            flags.append(flag("link_missing", None, "no link line before the title"))
        if "multi" in d.notes or self.papers_in_note:
            flags.append(
                flag("multi_paper_note", None, "one of several papers discussed in this note")
            )
        tags = list(d.tags)
        commentary: dict[str, str | None] = {"ko": None}
        for lang, paras in (("ko", d.ko), ("en", d.en)):
            if paras:
                last, found = tx.strip_trailing_tags(paras[-1])
                if found:
                    tags.extend(found)
                    flags.append(flag("tags_stripped", "commentary", f"{lang}: {' '.join(found)}"))
                    paras[-1] = last
                    if not last:
                        paras.pop()
            if paras or lang == "ko":
                commentary[lang] = "\n".join(paras) or None
        links = list(dict.fromkeys(d.links))
        self.result.entries.append(
            Entry(
                file=self.name,
                format=self.fmt,
                line=title_line,
                week=d.week,
                title=texts(en=title),
                abstract=texts(en="\n".join(d.abstract)),
                commentary=commentary,
                arxiv_id=d.arxiv,
                authors=authors,
                tags=list(dict.fromkeys(tags)),
                links=links,
                flags=flags,
            )
        )

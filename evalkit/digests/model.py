"""What the digest parsers produce: entries (one per paper per digest) and problems.

An :class:`Entry` has the fields of :class:`evalkit.paper.Paper` (same names, same
meanings) before it has an id: alignment merges entries of the same paper into one
entry and freezes it into a ``Paper`` (:func:`evalkit.digests.align.align`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evalkit.digests.weeks import Week
from evalkit.paper import LANGS, Paper, flag, texts

__all__ = ["LANGS", "Entry", "ParseResult", "Problem", "flag", "texts"]


@dataclass(frozen=True)
class Problem:
    """Something in an input file that could not be extracted as it should.

    ``str(problem)`` is one line, ``file:line: message``.
    """

    file: str
    line: int
    message: str
    code: str = "problem"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {' '.join(self.message.split())}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "code": self.code, "message": self.message}


@dataclass
class Entry:
    """One paper as one digest gives it (or, after alignment, as several give it).

    ``file``, ``format`` and ``line`` say where it was read (``line``: its heading, or
    its link when it has no title line); ``sources`` fills in when it is frozen.
    """

    file: str
    format: str
    line: int
    week: Week
    title: dict[str, str | None]
    summary: dict[str, str | None] = field(default_factory=texts)
    abstract: dict[str, str | None] = field(default_factory=texts)
    commentary: dict[str, str | None] | None = None
    arxiv_id: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)

    def langs(self) -> list[str]:
        """Languages this entry carries in any text field."""
        fields = [self.title, self.summary, self.abstract, self.commentary or {}]
        return [lang for lang in LANGS if any(f.get(lang) for f in fields)]

    def source(self) -> dict[str, Any]:
        """Where this entry was read, as recorded in a paper's ``sources``."""
        return {"file": self.file, "format": self.format, "line": self.line, "langs": self.langs()}

    def copy(self) -> Entry:
        """A copy whose lists and text objects can be changed without touching this one."""
        return Entry(
            file=self.file,
            format=self.format,
            line=self.line,
            week=self.week,
            title=dict(self.title),
            summary=dict(self.summary),
            abstract=dict(self.abstract),
            commentary=dict(self.commentary) if self.commentary is not None else None,
            arxiv_id=self.arxiv_id,
            authors=list(self.authors),
            tags=list(self.tags),
            links=list(self.links),
            flags=list(self.flags),
            sources=list(self.sources) or [self.source()],
        )

    def freeze(self, paper_id: str, flags: list[dict[str, Any]]) -> Paper:
        """The dataset record of this entry under ``paper_id``."""
        return Paper(
            id=paper_id,
            week=self.week.label,
            week_start=self.week.start.isoformat(),
            week_end=self.week.end.isoformat(),
            arxiv_id=self.arxiv_id,
            title=self.title,
            summary=self.summary,
            abstract=self.abstract,
            commentary=self.commentary,
            authors=self.authors,
            tags=self.tags,
            links=self.links,
            sources=self.sources or [self.source()],
            flags=flags,
        )


@dataclass
class ParseResult:
    """A parser's output for one file."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Lines besides the entries' own that a parser accounted for (a second title line).
    covered: set[int] = field(default_factory=set)
    #: Problems counted but not kept (a parser keeps a bounded number per file).
    dropped: int = 0

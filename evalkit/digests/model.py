"""What the digest parsers produce: entries (one per paper per digest) and problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evalkit.digests.weeks import Week

LANGS = ("en", "ko", "ja")


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


def texts(**values: str | None) -> dict[str, str | None]:
    """A text field object with every language key (``None`` where absent)."""
    return {lang: values.get(lang) or None for lang in LANGS}


def flag(code: str, field_name: str | None, detail: str) -> dict[str, Any]:
    """A record flag: what the extractor noticed and repaired or could not."""
    return {"code": code, "field": field_name, "detail": detail}


@dataclass
class Entry:
    """One paper as one digest gives it, before alignment across digests."""

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

    def langs(self) -> list[str]:
        """Languages this entry carries in any text field."""
        fields = [self.title, self.summary, self.abstract, self.commentary or {}]
        return [lang for lang in LANGS if any(f.get(lang) for f in fields)]


@dataclass
class ParseResult:
    """A parser's output for one file."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

"""Alignment: entries of the same paper in the same week become one record.

Two entries are the same paper when they share the week and either the arXiv id or
the normalized English title (entries whose arXiv ids differ never merge). The first
entry (in input order) wins where texts disagree; the disagreement is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evalkit.dataset import Paper
from evalkit.digests import text as tx
from evalkit.digests.model import LANGS, Entry, flag
from evalkit.digests.weeks import Week

_FIELDS = ("title", "summary", "abstract")


@dataclass
class _Record:
    week: Week
    title: dict[str, str | None]
    summary: dict[str, str | None]
    abstract: dict[str, str | None]
    commentary: dict[str, str | None] | None
    arxiv_id: str | None
    authors: list[str]
    tags: list[str]
    links: list[str]
    sources: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)


def _source(entry: Entry) -> dict[str, Any]:
    return {"file": entry.file, "format": entry.format, "line": entry.line, "langs": entry.langs()}


def _new(entry: Entry) -> _Record:
    return _Record(
        week=entry.week,
        title=dict(entry.title),
        summary=dict(entry.summary),
        abstract=dict(entry.abstract),
        commentary=dict(entry.commentary) if entry.commentary is not None else None,
        arxiv_id=entry.arxiv_id,
        authors=list(entry.authors),
        tags=list(entry.tags),
        links=list(entry.links),
        sources=[_source(entry)],
        flags=list(entry.flags),
    )


def _where(entry: Entry) -> str:
    return f"{entry.file}:{entry.line}"


def _merge(rec: _Record, entry: Entry) -> None:
    if any(s["file"] == entry.file for s in rec.sources):
        rec.flags.append(
            flag("duplicate_entry", None, f"the paper appears again at {_where(entry)}")
        )
    rec.sources.append(_source(entry))
    rec.flags.extend(entry.flags)
    for name in _FIELDS:
        mine: dict[str, str | None] = getattr(rec, name)
        theirs: dict[str, str | None] = getattr(entry, name)
        for lang in LANGS:
            new = theirs.get(lang)
            if not new:
                continue
            old = mine.get(lang)
            if not old:
                mine[lang] = new
            elif old != new:
                code = "english_differs" if lang == "en" else "text_differs"
                rec.flags.append(
                    flag(code, name, f"{lang} text at {_where(entry)} differs; kept the first")
                )
    if entry.commentary is not None:
        if rec.commentary is None:
            rec.commentary = dict(entry.commentary)
        elif entry.commentary.get("ko") and rec.commentary.get("ko") != entry.commentary["ko"]:
            if rec.commentary.get("ko"):
                rec.flags.append(
                    flag(
                        "text_differs",
                        "commentary",
                        f"ko at {_where(entry)} differs; kept the first",
                    )
                )
            else:
                rec.commentary["ko"] = entry.commentary["ko"]
    rec.arxiv_id = rec.arxiv_id or entry.arxiv_id
    rec.authors = rec.authors or list(entry.authors)
    rec.tags = list(dict.fromkeys(rec.tags + entry.tags))
    rec.links = list(dict.fromkeys(rec.links + entry.links))


def align(entries: list[Entry]) -> list[Paper]:
    """Merge ``entries`` (in input order) into papers sorted by week and id."""
    records: list[_Record] = []
    by_arxiv: dict[tuple[str, str], _Record] = {}
    by_title: dict[tuple[str, str], _Record] = {}
    for entry in entries:
        week = entry.week.label
        title_key = (week, tx.normalize_title(entry.title.get("en") or ""))
        rec = by_arxiv.get((week, entry.arxiv_id)) if entry.arxiv_id else None
        if rec is None:
            rec = by_title.get(title_key)
            if (
                rec is not None
                and rec.arxiv_id
                and entry.arxiv_id
                and rec.arxiv_id != entry.arxiv_id
            ):
                rec = None
        if rec is None:
            rec = _new(entry)
            records.append(rec)
        else:
            _merge(rec, entry)
        if rec.arxiv_id:
            by_arxiv.setdefault((week, rec.arxiv_id), rec)
        by_title.setdefault(title_key, rec)
    return assign_ids(records)


def assign_ids(records: list[_Record]) -> list[Paper]:
    taken: set[str] = set()
    papers = []
    for rec in records:
        slug = tx.slugify(rec.title.get("en") or "") or (rec.arxiv_id or "paper").replace("/", "-")
        base = f"{rec.week.label}-{slug}"
        pid, n = base, 1
        while pid in taken:
            n += 1
            pid = f"{base}-{n}"
        taken.add(pid)
        papers.append(
            Paper(
                id=pid,
                week=rec.week.label,
                week_start=rec.week.start.isoformat(),
                week_end=rec.week.end.isoformat(),
                arxiv_id=rec.arxiv_id,
                title=rec.title,
                summary=rec.summary,
                abstract=rec.abstract,
                commentary=rec.commentary,
                authors=rec.authors,
                tags=rec.tags,
                links=rec.links,
                sources=rec.sources,
                flags=_dedupe(rec.flags),
            )
        )
    return sorted(papers, key=lambda p: (p.week, p.id))


def _dedupe(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in flags:
        key = (f["code"], f["field"], f["detail"])
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out

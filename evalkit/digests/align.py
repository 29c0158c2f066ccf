"""Alignment: entries of the same paper in the same week become one record.

Two entries are the same paper when they share the week and either the arXiv id or
the normalized English title (entries whose arXiv ids differ never merge). The first
entry (in input order) wins where texts disagree; the disagreement is flagged.
"""

from __future__ import annotations

from typing import Any

from evalkit.digests import text as tx
from evalkit.digests.model import Entry
from evalkit.paper import LANGS, TEXT_FIELDS, Paper, flag

#: Formats whose files hold one paper each: the same paper in two such files of one
#: week is a duplicate note.
ONE_PAPER_FORMATS = frozenset({"paper-note"})


def _where(entry: Entry) -> str:
    return f"{entry.file}:{entry.line}"


def _duplicate(rec: Entry, entry: Entry) -> bool:
    return any(
        s["file"] == entry.file
        or (entry.format in ONE_PAPER_FORMATS and s["format"] == entry.format)
        for s in rec.sources
    )


def _merge(rec: Entry, entry: Entry) -> None:
    if _duplicate(rec, entry):
        rec.flags.append(
            flag("duplicate_entry", None, f"the paper appears again at {_where(entry)}")
        )
    rec.sources.append(entry.source())
    rec.flags.extend(entry.flags)
    for name in TEXT_FIELDS:
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
        else:
            for lang, new in entry.commentary.items():
                old = rec.commentary.get(lang)
                if not new or old == new:
                    continue
                if old:
                    rec.flags.append(
                        flag(
                            "text_differs",
                            "commentary",
                            f"{lang} at {_where(entry)} differs; kept the first",
                        )
                    )
                else:
                    rec.commentary[lang] = new
    rec.arxiv_id = rec.arxiv_id or entry.arxiv_id
    rec.authors = rec.authors or list(entry.authors)
    rec.tags = list(dict.fromkeys(rec.tags + entry.tags))
    rec.links = list(dict.fromkeys(rec.links + entry.links))


def align(entries: list[Entry]) -> list[Paper]:
    """Merge ``entries`` (in input order) into papers sorted by week and id.

    Every entry ends up in exactly one paper's ``sources``.
    """
    records: list[Entry] = []
    by_arxiv: dict[tuple[str, str], Entry] = {}
    by_title: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        week = entry.week.label
        english = entry.title.get("en") or ""
        title_key = (week, tx.normalize_title(english)) if english else None
        rec = by_arxiv.get((week, entry.arxiv_id)) if entry.arxiv_id else None
        if rec is None and title_key is not None:
            rec = by_title.get(title_key)
            if (
                rec is not None
                and rec.arxiv_id
                and entry.arxiv_id
                and rec.arxiv_id != entry.arxiv_id
            ):
                rec = None
        if rec is None:
            rec = entry.copy()
            records.append(rec)
        else:
            _merge(rec, entry)
        if rec.arxiv_id:
            by_arxiv.setdefault((week, rec.arxiv_id), rec)
        if title_key is not None:
            by_title.setdefault(title_key, rec)
    return assign_ids(records)


def assign_ids(records: list[Entry]) -> list[Paper]:
    """Freeze merged entries into papers with unique ids, sorted by week and id."""
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
        flags = rec.flags
        if rec.title.get("en"):  # another entry of the paper gave the title
            flags = [f for f in flags if f["code"] != "title_missing"]
        papers.append(rec.freeze(pid, _dedupe(flags)))
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

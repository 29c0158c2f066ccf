"""Enrichment from the arXiv metadata snapshot (JSON lines, one paper per line).

Each line of the snapshot is an object with ``id``, ``title``, ``abstract``, ``authors``
(one string: ``"A, B and C"``) and more keys (``versions``, ``categories``, ...). Titles,
abstracts and author lists are hard-wrapped at about 80 columns; a new abstract
paragraph starts with an indented line.

The snapshot is large (millions of lines): each line's ``id`` is found by a cheap
search and only lines of wanted papers are parsed as JSON, by ``jsonlines`` (the other
lines reach it blank, so its line numbers are the file's).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from evalkit.digests import text as tx
from evalkit.digests.model import Problem
from evalkit.errors import DataError
from evalkit.paper import Paper, flag

FORMAT = "arxiv-metadata"
_ID = re.compile(rb'"id"\s*:\s*"([^"\\]{1,64})"')
_VERSION = re.compile(r"v\d+$")
_MAX_PROBLEMS = 10


def unwrap(text: str) -> str:
    """Undo the snapshot's hard wrapping; indented lines start new paragraphs."""
    paragraphs: list[list[str]] = []
    for i, line in enumerate(text.strip("\n").split("\n")):
        if not line.strip():
            continue
        if i == 0 or not paragraphs or line[:1].isspace():
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    return "\n".join(" ".join(" ".join(p).split()) for p in paragraphs)


def read(
    path: Path, wanted: set[str]
) -> tuple[dict[str, tuple[int, dict[str, Any]]], list[Problem]]:
    """Records of ``wanted`` arXiv ids in the snapshot at ``path``: id -> (line, record).

    Raises:
        DataError: if the file cannot be opened.
    """
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    problems: list[Problem] = []
    number = 0
    file = str(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise DataError(f"cannot read arXiv metadata: {exc.strerror or exc}", path=path) from exc
    with fh:
        import jsonlines
        from tqdm import tqdm

        size = path.stat().st_size
        bar = tqdm(
            total=size, unit="B", unit_scale=True, desc="arXiv metadata", disable=None, leave=False
        )
        current = [""]  # the id of the line jsonlines is given to parse

        def wanted_lines() -> Iterator[bytes]:
            nonlocal number
            for number, raw in enumerate(fh, start=1):  # noqa: B007
                bar.update(len(raw))
                if not raw.strip():
                    yield b""
                    continue
                m = _ID.search(raw)
                if m is None:
                    if len(problems) <= _MAX_PROBLEMS:
                        problems.append(
                            Problem(file, number, 'no "id" in this arXiv metadata line', "metadata")
                        )
                    else:
                        problems.append(problems[-1])  # counted, not kept distinct
                    yield b""
                    continue
                pid = _VERSION.sub("", m.group(1).decode("utf-8", "replace").strip().lower())
                if pid not in wanted or pid in found:
                    yield b""
                    continue
                current[0] = pid
                yield raw

        reader = jsonlines.Reader(wanted_lines(), loads=json.loads)
        while True:
            try:
                record = reader.read(type=dict, skip_empty=True)
            except EOFError:
                break
            except jsonlines.InvalidLineError as exc:
                reason = str(exc).removesuffix(f" (line {exc.lineno})")
                if "null value" in reason or "requested type" in reason:
                    reason = "expected a JSON object"
                reason = reason.replace("line contains invalid json: ", "invalid JSON line: ")
                problems.append(Problem(file, exc.lineno, reason, "metadata"))
                continue
            found[current[0]] = (number, record)
        bar.close()
    if len(problems) > _MAX_PROBLEMS:
        extra = len(problems) - _MAX_PROBLEMS
        problems[_MAX_PROBLEMS:] = [
            Problem(
                file,
                number,
                f"{extra} more malformed lines (is this the arXiv snapshot?)",
                "metadata",
            )
        ]
    return found, problems


def _str(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    return value if isinstance(value, str) else ""


def enrich(papers: list[Paper], path: Path) -> tuple[list[Paper], list[Problem]]:
    """Fill English abstracts, titles and authors from the snapshot, by arXiv id.

    Digest text is never overwritten: where the snapshot disagrees, the record is
    flagged instead.
    """
    wanted = {p.arxiv_id for p in papers if p.arxiv_id}
    found, problems = read(path, wanted)
    out = []
    for paper in papers:
        hit = found.get(paper.arxiv_id or "")
        if hit is None:
            out.append(paper)
            continue
        line, record = hit
        where = f"{path.name}:{line}"
        title, abstract, authors = dict(paper.title), dict(paper.abstract), list(paper.authors)
        flags, filled = list(paper.flags), []
        meta_title = " ".join(_str(record, "title").split())
        if meta_title and not title.get("en"):
            title["en"] = meta_title
            filled.append("title")
        elif meta_title and tx.normalize_title(meta_title) != tx.normalize_title(title["en"] or ""):
            flags.append(
                flag("metadata_differs", "title", f"en title at {where} differs; kept the digest's")
            )
        meta_abstract = unwrap(_str(record, "abstract"))
        if meta_abstract and not abstract.get("en"):
            abstract["en"] = meta_abstract
            filled.append("abstract")
            flags.append(flag("from_metadata", "abstract", f"en abstract from {where}"))
        meta_authors = tx.split_author_list(_str(record, "authors"))
        if meta_authors and not authors:
            authors = meta_authors
            filled.append("authors")
        source = {"file": path.name, "format": FORMAT, "line": line, "fields": filled}
        out.append(
            replace(
                paper,
                title=title,
                abstract=abstract,
                authors=authors,
                sources=[*paper.sources, source],
                flags=flags,
            )
        )
    return out, problems

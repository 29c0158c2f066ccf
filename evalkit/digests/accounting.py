"""The counting rule, enforced: every paper a file announces ends up somewhere.

Each paper heading of a file (a notes title line, a PyTorchKR ``native / English``
heading followed by its summary label) and each note file must become a record or a
reported problem naming its file and line. This module counts what the text
announces, independently of the parser, and turns every heading the parser's output
does not account for into a ``lost_paper`` problem, so a parser bug cannot drop a paper
silently.
"""

from __future__ import annotations

from evalkit.digests import note_lines as nl
from evalkit.digests import text as tx
from evalkit.digests.model import ParseResult, Problem

#: Lost headings listed per file; the count covers them all.
_MAX_LISTED = 10


def announced_lines(fmt: str | None, lines: list[str]) -> list[int]:
    """Line numbers (1-based) of the paper headings the text of a file announces."""
    if fmt == "paper-notes":
        return _note_titles(lines)
    if fmt in ("pytorchkr-ko", "pytorchkr-ja"):
        return _pytorchkr_headings(fmt, lines)
    return []


def _note_titles(lines: list[str]) -> list[int]:
    out = []
    in_english = False
    for number, raw in enumerate(lines, start=1):
        if not raw:
            continue
        low = raw.lower()
        if in_english or low.startswith("<english>"):
            in_english = "</english>" not in low
            continue
        if raw[:1] in (">", "＞"):
            continue
        s = tx.strip_markers(raw)
        if s and nl.is_title_line(s):
            out.append(number)
    return out


def _pytorchkr_headings(fmt: str, lines: list[str]) -> list[int]:
    from evalkit.digests import pytorchkr, pytorchkr_ja, pytorchkr_ko

    dialect = pytorchkr_ko.DIALECT if fmt == "pytorchkr-ko" else pytorchkr_ja.DIALECT
    nonblank = [(i + 1, tx.strip_markers(x)) for i, x in enumerate(lines) if x]
    nonblank = [(n, s) for n, s in nonblank if s]
    out = []
    for (number, s), (_, nxt) in zip(nonblank, nonblank[1:], strict=False):
        label = pytorchkr.label_of(nxt, dialect.labels)
        if (
            label
            and label[0] == pytorchkr.SUMMARY
            and " / " in s
            and pytorchkr.label_of(s, dialect.labels) is None
        ):
            out.append(number)
    return out


def check_accounted(
    file: str, fmt: str | None, lines: list[str], result: ParseResult
) -> tuple[int, list[Problem]]:
    """How many papers the file announces, and a problem for each one left unaccounted.

    A note file (``paper-note``) announces one paper: it must give an entry or a problem.
    """
    if fmt == "paper-note":
        if result.entries or result.problems:
            return max(1, len(result.entries)), []
        return 1, [Problem(file, 1, "the note gave no record and no problem", "lost_paper")]
    announced = announced_lines(fmt, lines)
    seen = {e.line for e in result.entries} | {p.line for p in result.problems} | result.covered
    lost = [n for n in announced if n not in seen]
    problems = [
        Problem(
            file,
            n,
            f"paper heading gave no record and no problem ({len(announced)} announced in"
            f" this file, {len(result.entries)} records, {len(lost)} lost);"
            " please report this file",
            "lost_paper",
        )
        for n in lost[:_MAX_LISTED]
    ]
    return len(announced), problems

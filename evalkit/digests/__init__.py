"""Digest formats: one parser module per format, format detection, text helpers.

>>> from evalkit.digests import parse_file
>>> fmt, result = parse_file(path)          # doctest: +SKIP

Every parser takes the clean lines of a file (:func:`reader.decode`) and returns a
:class:`model.ParseResult`: one :class:`model.Entry` per paper and typed
:class:`model.Problem` s. Parsers never raise on bad content.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from evalkit.digests.model import Entry, ParseResult, Problem
from evalkit.errors import ConfigError

#: format name -> (parser module, one-line description)
FORMATS: dict[str, tuple[str, str]] = {
    "pytorchkr-ko": ("evalkit.digests.pytorchkr_ko", "PyTorchKR weekly post, Korean"),
    "pytorchkr-ja": ("evalkit.digests.pytorchkr_ja", "PyTorchKR weekly post, Japanese"),
    "paper-notes": ("evalkit.digests.notes", "weekly paper notes, Korean commentary"),
    "paper-note": ("evalkit.digests.note_files", "one paper note per Markdown file"),
}

#: Files with these suffixes are paper notes (one per file) unless they hold week headers.
NOTE_SUFFIXES = (".md", ".markdown")

__all__ = [
    "FORMATS",
    "Entry",
    "ParseResult",
    "Problem",
    "check_format",
    "parse_file",
    "parse_lines",
]


def check_format(fmt: str) -> str:
    """Return ``fmt`` if it names a format, else raise ConfigError listing the formats."""
    if fmt not in FORMATS:
        from evalkit.didyoumean import suggest

        raise ConfigError(f"unknown digest format {fmt!r}; {suggest(fmt, FORMATS)}")
    return fmt


def _parser(fmt: str) -> Callable[..., ParseResult]:
    import importlib

    module = importlib.import_module(FORMATS[check_format(fmt)][0])
    parse: Callable[..., ParseResult] = module.parse
    return parse


def parse_lines(
    lines: list[str], *, file: str, fmt: str | None = None
) -> tuple[str | None, ParseResult]:
    """Detect the format of clean ``lines`` (unless ``fmt`` is given) and parse them.

    A Markdown file (``.md``) is one paper note, unless it holds weekly headers.
    """
    if fmt is None and file.lower().endswith(NOTE_SUFFIXES):
        from evalkit.digests import notes

        fmt = "paper-notes" if notes.count_weeks(lines) else "paper-note"
    if fmt is None:
        from evalkit.digests.detect import detect

        fmt = detect(lines)
        if fmt is None:
            first = next((i for i, line in enumerate(lines, 1) if line), 1)
            message = (
                "empty file"
                if not any(lines)
                else "no known digest format (expected a PyTorchKR post with '논문 소개' or"
                " '論文紹介' sections, or weekly notes with a 'YYYY년 M월 N주차' header);"
                f" formats: {', '.join(FORMATS)}"
            )
            return None, ParseResult(problems=[Problem(file, first, message, "unknown_format")])
    cap = _cap_papers(fmt, lines, file)
    result = _parser(fmt)(lines, file=file)
    if cap is not None:
        result.problems.append(cap)
    return fmt, result


#: The most paper headings one file may announce (a weekly digest has tens): beyond it
#: the file is read up to the heading that passes the limit, so memory stays bounded
#: on pathological input.
MAX_PAPERS_PER_FILE = 10_000


def _cap_papers(fmt: str, lines: list[str], file: str) -> Problem | None:
    """Cut ``lines`` (in place) before the heading that passes :data:`MAX_PAPERS_PER_FILE`,
    and say so; the caller's list is what the counting rule then checks."""
    from evalkit.digests.accounting import announced_lines

    heads = announced_lines(fmt, lines)
    if len(heads) <= MAX_PAPERS_PER_FILE:
        return None
    first_cut = heads[MAX_PAPERS_PER_FILE]
    del lines[first_cut - 1 :]
    return Problem(
        file,
        first_cut,
        f"the file announces {len(heads):,} papers, more than the {MAX_PAPERS_PER_FILE:,} one"
        f" digest file may hold; the {len(heads) - MAX_PAPERS_PER_FILE:,} from this line on"
        " are not read (split the file)",
        "too_many_papers",
    )


def parse_file(path: str | Path, *, fmt: str | None = None, keep_lines: bool = False) -> Any:
    """Read, decode, detect and parse one digest file: ``(format, result)``.

    With ``keep_lines``, ``(format, result, clean lines)``.

    Raises:
        DataError: if the file cannot be read at all (missing, a folder, no permission).
    """
    from evalkit.digests.reader import decode
    from evalkit.errors import DataError

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", path=path) from exc
    lines, problems = decode(data, str(path))
    found, result = parse_lines(lines, file=str(path), fmt=fmt)
    result.problems[:0] = problems
    return (found, result, lines) if keep_lines else (found, result)

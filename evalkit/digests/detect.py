"""Which format a digest is in, from its content."""

from __future__ import annotations

from evalkit.digests import notes, pytorchkr, pytorchkr_ja, pytorchkr_ko
from evalkit.digests import text as tx


def detect(lines: list[str]) -> str | None:
    """The format name of a digest given its clean lines, or None if none fits.

    Section labels decide between the Korean and Japanese posts; week headers of the
    ``2023년 8월 1주차`` kind and ``Title (Authors)`` lines mark the notes format.
    """
    ko = pytorchkr.count_labels(lines, pytorchkr_ko.DIALECT)
    ja = pytorchkr.count_labels(lines, pytorchkr_ja.DIALECT)
    if ko or ja:
        if ko != ja:
            return pytorchkr_ko.FORMAT if ko > ja else pytorchkr_ja.FORMAT
        return _by_script(lines)
    if notes.count_notes(lines):
        return notes.FORMAT
    if any(line.startswith("[") and _is_range(line) for line in lines):
        return _by_script(lines)
    return None


def _is_range(line: str) -> bool:
    from evalkit.digests.weeks import WeekError, parse_range

    try:
        return parse_range(line) is not None
    except WeekError:
        return True


def _by_script(lines: list[str]) -> str:
    ko = sum(tx.count_native(line, "ko") for line in lines)
    ja = sum(tx.count_native(line, "ja") for line in lines)
    return pytorchkr_ja.FORMAT if ja > ko else pytorchkr_ko.FORMAT

"""Bytes of a digest file -> clean lines, with a problem for each unreadable line."""

from __future__ import annotations

import codecs

from evalkit.digests.model import Problem
from evalkit.digests.text import clean_line

_MAX_ENCODING_PROBLEMS = 10


def decode(data: bytes, file: str) -> tuple[list[str], list[Problem]]:
    """Decode a digest into clean lines (index ``i`` is line ``i + 1``).

    Accepts UTF-8 with or without a byte-order mark, UTF-16 with one, and LF, CRLF or
    CR line ends. A line that is not valid UTF-8 is reported (file and line) and kept
    with its undecodable bytes replaced, so the rest of the file is still extracted.
    """
    problems: list[Problem] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            problems.append(
                Problem(file, 1, f"not valid UTF-16: {exc.reason}; bad bytes replaced", "encoding")
            )
            text = data.decode("utf-16", errors="replace")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return [clean_line(x) for x in text.split("\n")], problems
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    lines: list[str] = []
    bad = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad += 1
            if bad <= _MAX_ENCODING_PROBLEMS:
                problems.append(
                    Problem(
                        file,
                        number,
                        f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1});"
                        " undecodable bytes replaced with U+FFFD",
                        "encoding",
                    )
                )
            text = raw.decode("utf-8", errors="replace")
        lines.append(clean_line(text))
    if bad > _MAX_ENCODING_PROBLEMS:
        problems.append(
            Problem(
                file,
                len(lines),
                f"{bad - _MAX_ENCODING_PROBLEMS} more lines are not valid UTF-8"
                " (is the file in another encoding? save it as UTF-8)",
                "encoding",
            )
        )
    return lines, problems

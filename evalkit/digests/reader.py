"""Bytes of a digest file -> clean lines, with a problem for each unreadable line."""

from __future__ import annotations

import codecs
import re

from evalkit.digests.model import Problem
from evalkit.digests.text import clean_line

_MAX_ENCODING_PROBLEMS = 10
#: Tried, whole file at once, when most non-ASCII lines are not UTF-8.
_LEGACY = (("cp949", "ko"), ("cp932", "ja"), ("euc_jp", "ja"))
#: What real text of each language is full of: Hangul syllables, kana.
_TELLTALE = {"ko": re.compile("[\uac00-\ud7a3]"), "ja": re.compile("[\u3040-\u30ff]")}


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
    bad = non_ascii = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            text = raw.decode("utf-8")
            non_ascii += not raw.isascii()
        except UnicodeDecodeError as exc:
            bad += 1
            non_ascii += 1
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
    if bad >= 2 and bad * 2 >= non_ascii:
        legacy = _legacy(data)
        if legacy is not None:
            codec, text = legacy
            first = problems[0].line
            message = f"not UTF-8: read as {codec} (save the file as UTF-8)"
            return [clean_line(x) for x in text.split("\n")], [
                Problem(file, first, message, "encoding")
            ]
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


def _legacy(data: bytes) -> tuple[str, str] | None:
    """Decode a whole file in the legacy Korean or Japanese encoding that fits it best."""
    best: tuple[int, str, str] | None = None
    for codec, lang in _LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = len(text) - len(_TELLTALE[lang].sub("", text))
        if score and (best is None or score > best[0]):
            best = (score, codec, text)
    return (best[1], best[2]) if best else None

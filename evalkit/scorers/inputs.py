"""Reading the segment files of ``evalkit score``: plain text or JSON lines.

Plain text is read exactly as the ``sacrebleu`` command line reads it (UTF-8, one
segment per ``\\n``-terminated line, trailing whitespace stripped). A segment of
several sentences (ROUGE-Lsum needs the breaks) is written either with a separator of
the user's choice (``--sentence-separator '<q>'``), or in a ``.jsonl`` file, one JSON
value a line:

- a string: the segment;
- a list of strings: the sentences of the segment;
- an object ``{"text": ...}`` with a string or a list of sentences;
- in a reference file, also ``{"references": [...]}``: several references for the
  segment, each a string or a list of sentences.

Sentences are joined with ``\\n``, the separator rouge-score's ROUGE-Lsum splits on
(the other metrics read ``\\n`` as a space).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evalkit.errors import ConfigError, DataError

#: The suffix that selects the JSON-lines reader.
JSONL_SUFFIX = ".jsonl"


def read_segments(path: str | Path, *, sentence_separator: str | None = None) -> list[str]:
    """One segment per line of a UTF-8 file, trailing whitespace stripped (as sacrebleu).

    Args:
        path: The file.
        sentence_separator: Marks sentence breaks inside a line; each becomes ``\\n``.

    Raises:
        DataError: if the file cannot be read or a line is not UTF-8.
    """
    out: list[str] = []
    try:
        with open(path, "rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                try:
                    out.append(raw.decode("utf-8").rstrip())
                except UnicodeDecodeError as exc:
                    raise DataError(
                        f"not UTF-8 ({exc.reason} at byte {exc.start})", path=path, line=lineno
                    ) from exc
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", path=path) from exc
    if sentence_separator:
        out = [_split(s, sentence_separator) for s in out]
    return out


def _split(text: str, separator: str) -> str:
    return "\n".join(s.strip() for s in text.split(separator) if s.strip())


def _text(value: Any, path: str | Path, line: int, what: str) -> str:
    if isinstance(value, str):
        return value.rstrip()
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return "\n".join(s.strip() for s in value if s.strip())
    raise DataError(
        f"{what} must be a string or a list of strings, got {_kind(value)}", path=path, line=line
    )


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def read_jsonl_segments(
    path: str | Path, *, references: bool = False
) -> list[str | tuple[str, ...]]:
    """The segments of a JSON-lines file (see the module docstring for the forms).

    Args:
        path: The file.
        references: Whether ``{"references": [...]}`` (several references) is allowed.

    Returns:
        One string per line, or a tuple of strings for a line with several references.

    Raises:
        DataError: naming the file and line of what is not one of the forms.
    """
    out: list[str | tuple[str, ...]] = []
    try:
        with open(path, "rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                try:
                    value = json.loads(raw.decode("utf-8").rstrip("\r\n"))
                except UnicodeDecodeError as exc:
                    raise DataError(f"not UTF-8 ({exc.reason})", path=path, line=lineno) from exc
                except json.JSONDecodeError as exc:
                    raise DataError(f"not JSON: {exc.msg}", path=path, line=lineno) from exc
                out.append(_jsonl_value(value, path, lineno, references))
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", path=path) from exc
    return out


def _jsonl_value(
    value: Any, path: str | Path, line: int, references: bool
) -> str | tuple[str, ...]:
    if not isinstance(value, dict):
        return _text(value, path, line, "a line")
    keys = set(value)
    if references and keys == {"references"}:
        refs = value["references"]
        if not isinstance(refs, list) or not refs:
            raise DataError('"references" must be a non-empty list', path=path, line=line)
        return tuple(_text(r, path, line, "each reference") for r in refs)
    if keys != {"text"}:
        allowed = '"text" or "references"' if references else '"text"'
        raise DataError(
            f"an object must have exactly the key {allowed}, got {sorted(keys)}",
            path=path,
            line=line,
        )
    return _text(value["text"], path, line, '"text"')


def read_input(
    path: str | Path, *, references: bool = False, sentence_separator: str | None = None
) -> list[str | tuple[str, ...]]:
    """Segments of ``path``: JSON lines when it ends in ``.jsonl``, plain text otherwise."""
    if str(path).endswith(JSONL_SUFFIX):
        return read_jsonl_segments(path, references=references)
    return list(read_segments(path, sentence_separator=sentence_separator))


def combine_references(
    files: Sequence[tuple[str, Sequence[str | tuple[str, ...]]]],
) -> list[str | tuple[str, ...]]:
    """Each segment's references across reference files: a string when there is one.

    Raises:
        ConfigError: if the files differ in number of lines.
    """
    counts = {name: len(segs) for name, segs in files}
    if len(set(counts.values())) > 1:
        listed = ", ".join(f"{name} has {n}" for name, n in counts.items())
        raise ConfigError(f"reference files differ in line count: {listed}")
    out: list[str | tuple[str, ...]] = []
    for parts in zip(*(segs for _, segs in files), strict=True):
        flat = [r for p in parts for r in ((p,) if isinstance(p, str) else p)]
        out.append(flat[0] if len(flat) == 1 else tuple(flat))
    return out

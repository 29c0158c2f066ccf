"""File helpers shared by every stage: atomic writes, JSON lines, safe names.

This module is evalkit's one write path: every file evalkit writes goes through
:func:`atomic_write_bytes` (atomic: a crash leaves the old file or the new one, never
half of one), :class:`JsonlAppender` (JSON lines that grow during a run, one flushed
line per record, so a kill loses at most the line being written, which
:func:`read_jsonl` then skips) or :func:`append_text`; folders are made by
:func:`make_dirs` and removed by :func:`remove` / :func:`remove_tree`. Inside a folder
declared with :func:`confine` (the results folder, ``publish --out``) no link placed
there is followed, so nothing is written outside it; a target the user named that is
not a regular file (``/dev/null``, a pipe) is written as a stream, never replaced.
The mechanism is in :mod:`evalkit.fsplace` (where) and :mod:`evalkit.fswrite` (how).

JSON-lines files that users hand in (an ``outputs`` system's file) are read by
:func:`read_input_jsonl`, through the ``jsonlines`` library: they need no torn-line
repair, only a clear error naming file and line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from evalkit import fswrite
from evalkit.errors import ConfigError, DataError
from evalkit.fsplace import UnsafePathError, confine, make_dirs
from evalkit.fswrite import remove, remove_tree

__all__ = [
    "SCHEMA_VERSION",
    "JsonlAppender",
    "UnsafePathError",
    "append_text",
    "atomic_write_bytes",
    "atomic_write_text",
    "confine",
    "dumps",
    "make_dirs",
    "read_input_jsonl",
    "read_json",
    "read_jsonl",
    "remove",
    "remove_tree",
    "safe_name",
    "write_json",
    "write_jsonl",
]

SCHEMA_VERSION = 1

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$")


def safe_name(value: str, *, what: str) -> str:
    """Return ``value`` if it is safe as one path component, else raise.

    Names from users and configs (system names, run ids, week labels) become file
    names; this keeps them inside the folder they are meant for.

    Raises:
        ConfigError: for separators, ``..``, NUL bytes, leading dots or odd characters.
    """
    if not isinstance(value, str) or not _SAFE_NAME.match(value) or ".." in value:
        raise ConfigError(
            f"{what} {value!r} is not a safe name: use letters, digits, '.', '_', '+', '-'"
            " (no path separators, no leading dot)"
        )
    return value


def dumps(obj: Any, *, indent: int | None = None) -> str:
    """Deterministic JSON: sorted keys, UTF-8 text kept as is."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=indent, allow_nan=False)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temporary file in the same folder, then rename).

    Raises:
        OSError: naming ``path`` (not the temporary file) when it cannot be written:
            a full disk, an unwritable folder, a folder in the way.
    """
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Binary twin of :func:`atomic_write_text` (rules in :mod:`evalkit.fswrite`).

    Raises:
        UnsafePathError: for a link or special file placed inside a confined folder.
        DataError: for a user-named target that cannot be replaced or streamed to.
        OSError: naming ``path`` (never the temporary file).
    """
    fswrite.write_bytes(path, data)


def append_text(path: str | Path, text: str) -> None:
    """Append ``text`` to ``path`` (created if missing; a FIFO or device is streamed to).

    Raises:
        UnsafePathError: for a link or special file placed inside a confined folder.
        OSError: naming ``path``.
    """
    fd = fswrite.open_append(path)
    try:
        with os.fdopen(fd, "a", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None


def write_json(path: str | Path, obj: dict[str, Any]) -> None:
    """Atomically write a JSON object, adding ``schema_version`` if it has none."""
    if "schema_version" not in obj:
        obj = {"schema_version": SCHEMA_VERSION, **obj}
    atomic_write_text(path, dumps(obj, indent=2) + "\n")


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> None:
    """Atomically write JSON lines (one object per line, deterministic)."""
    atomic_write_text(path, "".join(dumps(r) + "\n" for r in records))


def read_json(path: str | Path) -> dict[str, Any]:
    """Read a JSON object file.

    Raises:
        DataError: naming the file (and line) if it is missing or not valid JSON.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError("file not found", path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read: {exc}", path=path) from exc
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno) from exc
    if not isinstance(obj, dict):
        raise DataError("expected a JSON object", path=path)
    return obj


def read_jsonl(
    path: str | Path, *, tolerate_torn_tail: bool = False
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each line of a JSON-lines file.

    Args:
        path: The file.
        tolerate_torn_tail: Skip an unterminated, unparsable last line (what a kill
            during an append leaves behind) instead of raising.

    Raises:
        DataError: naming the file and line of the first malformed record.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DataError("file not found", path=path) from exc
    except OSError as exc:
        raise DataError(f"cannot read: {exc}", path=path) from exc
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        is_tail = number == len(lines)  # no newline after it
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            if tolerate_torn_tail and is_tail:
                return
            raise DataError(f"invalid JSON line: {exc}", path=path, line=number) from exc
        if not isinstance(obj, dict):
            raise DataError("expected a JSON object on each line", path=path, line=number)
        yield number, obj


def read_input_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` of a JSON-lines file a user hands in.

    Read with ``jsonlines``; blank lines are skipped.

    Raises:
        DataError: naming the file and line of the first line that is not a JSON object.
    """
    import jsonlines

    path = Path(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115
    except FileNotFoundError as exc:
        raise DataError("file not found", path=path) from exc
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", path=path) from exc
    at = [0]

    def lines() -> Iterator[bytes]:
        for at[0], raw in enumerate(fh, start=1):  # noqa: B007
            yield raw

    with fh, jsonlines.Reader(lines(), loads=json.loads) as reader:
        while True:
            try:
                obj = reader.read(type=dict, skip_empty=True)
            except EOFError:
                return
            except jsonlines.InvalidLineError as exc:
                reason = str(exc).removesuffix(f" (line {exc.lineno})")
                if "null value" in reason or "requested type" in reason:
                    reason = "expected a JSON object on each line"
                reason = reason.replace("line contains invalid json: ", "invalid JSON line: ")
                raise DataError(reason, path=path, line=exc.lineno) from None
            except OSError as exc:
                raise DataError(f"cannot read: {exc.strerror or exc}", path=path) from exc
            yield at[0], obj


class JsonlAppender:
    """Append JSON lines to a file, flushing each one to disk as it is written.

    A torn last line left by an earlier kill is cut off before appending, so the
    file stays parsable line by line. Opened through :mod:`evalkit.fswrite`: inside a
    confined folder, a link planted at the file or at a folder above it is refused.
    """

    def __init__(self, path: str | Path, *, fsync: bool = True):
        self.path = Path(path)
        self._fsync = fsync
        fd = fswrite.open_append(self.path, repair_tail=True)
        self._fh = os.fdopen(fd, "a", encoding="utf-8", newline="\n")

    def write(self, record: dict[str, Any]) -> None:
        self._fh.write(dumps(record) + "\n")
        self._fh.flush()
        if self._fsync:
            os.fsync(self._fh.fileno())

    def write_many(self, records: Iterable[dict[str, Any]]) -> None:
        for r in records:
            self._fh.write(dumps(r) + "\n")
        self._fh.flush()
        if self._fsync:
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

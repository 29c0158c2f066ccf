"""File helpers shared by every stage: atomic writes, JSON lines, safe names.

Every JSON file evalkit writes goes through :func:`write_json` (atomic: a crash leaves
the old file or the new one, never half of one). JSON-lines files that grow during a
run go through :class:`JsonlAppender` (one flushed line per record, so a kill loses at
most the line being written, which :func:`read_jsonl` then skips with a warning).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from evalkit.errors import ConfigError, DataError

SCHEMA_VERSION = 1


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Mode of files we write: what ``open()`` would give (mkstemp alone gives 0600).
_FILE_MODE = 0o666 & ~_umask()

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
    """Binary twin of :func:`atomic_write_text`."""
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno is not None and exc.filename in (None, tmp):
            # the file the caller asked for, not our temporary one, goes in the message
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise


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


class JsonlAppender:
    """Append JSON lines to a file, flushing each one to disk as it is written.

    A torn last line left by an earlier kill is cut off before appending, so the
    file stays parsable line by line.
    """

    def __init__(self, path: str | Path, *, fsync: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fsync = fsync
        self._repair_tail()
        self._fh = open(self.path, "a", encoding="utf-8", newline="\n")  # noqa: SIM115

    def _repair_tail(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            with open(self.path, "r+b") as fh:
                fh.truncate(data.rfind(b"\n") + 1)

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

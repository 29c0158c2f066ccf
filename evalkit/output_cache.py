"""A system's output cache: ``<results>/cache/<system-key>.jsonl``.

Outputs of one system configuration, keyed by request content (not by id), as
:class:`~evalkit.records.CacheEntry` lines. A cache is only a cache: a line that cannot
be read (a torn write, a disk error, an edit) is skipped with a warning, dropped from
the file, and its request is asked again.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from evalkit.errors import DataError
from evalkit.io import JsonlAppender, write_jsonl
from evalkit.records import CacheEntry, Where
from evalkit.systems.base import Request


def _entries(path: Path) -> tuple[list[CacheEntry], list[str]]:
    """The readable entries of a cache file and one problem per unreadable line."""
    good: list[CacheEntry] = []
    bad: list[str] = []
    for number, raw in enumerate(path.read_bytes().split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            good.append(CacheEntry.from_dict(json.loads(raw.decode("utf-8")), Where(path, number)))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            bad.append(str(DataError(f"invalid JSON line: {exc}", path=path, line=number)))
        except DataError as exc:
            bad.append(str(exc))
    return good, bad


class OutputCache:
    """Outputs of one system configuration (see the module docstring)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._data: dict[str, str] = {}
        if self.path.is_file():
            JsonlAppender(self.path, fsync=False).close()  # cut a line torn by a kill
            try:
                good, bad = _entries(self.path)
            except OSError as exc:
                print(f"evalkit: warning: cache not read: {exc}", file=sys.stderr)
                good, bad = [], []
            if bad:
                more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
                print(
                    f"evalkit: warning: skipped a bad cache entry, {bad[0]}{more};"
                    " its request will be asked again",
                    file=sys.stderr,
                )
                write_jsonl(self.path, (e.to_dict() for e in good))
            self._data = {e.key: e.output for e in good}
        self._appender: JsonlAppender | None = None

    @staticmethod
    def key(request: Request) -> str:
        parts = [request.task, request.src_lang, request.tgt_lang, request.text]
        if request.shots:  # the prompt differs with its examples (absent: 0.1.0's keys)
            parts.append(json.dumps([list(s) for s in request.shots], ensure_ascii=False))
        material = "\0".join(parts)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]

    def get(self, request: Request) -> str | None:
        return self._data.get(self.key(request))

    def add(self, pairs: Sequence[tuple[Request, str]]) -> None:
        if self._appender is None:
            self._appender = JsonlAppender(self.path)
        entries = [CacheEntry(self.key(r), o) for r, o in pairs]
        self._appender.write_many(e.to_dict() for e in entries)
        self._data.update((e.key, e.output) for e in entries)

    def __len__(self) -> int:
        return len(self._data)

    def close(self) -> None:
        if self._appender is not None:
            self._appender.close()
            self._appender = None

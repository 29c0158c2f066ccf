"""Validation of JSON values read back from evalkit's files.

Every reader of a record builds a :class:`Where` (the file, the line, the key path so
far) and asks it for typed values; a wrong value raises one :class:`DataError` that
names the file, the line and the key, e.g.
``results/runs/x/run.json: scores[3].score: expected a finite number, got 'abc'``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.errors import DataError

#: A language code as run files accept it (it names pairs and files: no separators).
LANG_CODE = r"[A-Za-z][A-Za-z0-9_]{0,15}"
_LANG = re.compile(rf"^{LANG_CODE}$")
#: A language pair label: two language codes joined by ``-``.
PAIR = re.compile(rf"^{LANG_CODE}-{LANG_CODE}$")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class Where:
    """A place in a file: the file, an optional 1-based line, and a key path."""

    path: str | Path | None = None
    line: int | None = None
    key: str = ""

    def at(self, key: str | int) -> Where:
        """The place of ``key`` (a dict key or a list index) inside this one."""
        if isinstance(key, int):
            sub = f"{self.key}[{key}]"
        else:
            sub = f"{self.key}.{key}" if self.key else key
        return Where(self.path, self.line, sub)

    def error(self, message: str) -> DataError:
        prefix = f"{self.key}: " if self.key else ""
        return DataError(prefix + message, path=self.path, line=self.line)

    def wrong(self, expected: str, value: Any) -> DataError:
        return self.error(f"expected {expected}, got {_show(value)}")

    # -- typed readers ------------------------------------------------------------

    def obj(self, value: Any) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.wrong("an object", value)
        return value

    def field(self, obj: Mapping[str, Any], key: str) -> tuple[Any, Where]:
        """``obj[key]`` and its place; a missing key is an error naming it."""
        if key not in obj:
            raise self.error(f"missing key {key!r}")
        return obj[key], self.at(key)

    def str_(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self.wrong("text", value)
        return value

    def lang(self, value: Any) -> str:
        """A language code (``en``, ``ko``): it names pairs and files, so no separators."""
        if not isinstance(value, str) or not _LANG.match(value):
            raise self.wrong("a language code like 'en'", value)
        return value

    def opt_str(self, value: Any) -> str | None:
        return None if value is None else self.str_(value)

    def int_(self, value: Any, *, minimum: int | None = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer() and math.isfinite(value):
                value = int(value)
            else:
                raise self.wrong("an integer", value)
        if minimum is not None and value < minimum:
            raise self.wrong(f"an integer >= {minimum}", value)
        return value

    def num(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.wrong("a finite number", value)
        value = float(value)
        if not math.isfinite(value):
            raise self.wrong("a finite number", value)
        return value

    def opt_num(self, value: Any) -> float | None:
        return None if value is None else self.num(value)

    def list_(self, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise self.wrong("a list", value)
        return value

    def str_list(self, value: Any) -> tuple[str, ...]:
        return tuple(self.at(i).str_(v) for i, v in enumerate(self.list_(value)))

    def opt_str_list(self, value: Any) -> tuple[str, ...] | None:
        return None if value is None else self.str_list(value)

    def num_list(self, value: Any) -> tuple[float, ...]:
        return tuple(self.at(i).num(v) for i, v in enumerate(self.list_(value)))

    def str_map(self, value: Any) -> dict[str, str]:
        obj = self.obj(value)
        return {str(k): self.at(str(k)).str_(v) for k, v in obj.items()}

    def one_of(self, value: Any, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise self.wrong(" or ".join(repr(c) for c in choices), value)
        return str(value)

    def schema_version(self, obj: Mapping[str, Any], readable: tuple[int, ...]) -> int:
        """The record's ``schema_version`` (absent: 1), refused when this version cannot read it."""
        version = self.at("schema_version").int_(obj.get("schema_version", 1), minimum=1)
        if version not in readable:
            newest = max(readable)
            raise self.at("schema_version").error(
                f"version {version} is newer than this evalkit reads ({newest}); upgrade evalkit"
            )
        return version

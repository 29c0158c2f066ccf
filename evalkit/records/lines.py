"""Lines of the append-only files: a run's ``outputs.jsonl`` and a system's output cache."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evalkit.records.check import Where


@dataclass(frozen=True)
class OutputLine:
    """One system output: ``{"id", "output"}``."""

    id: str
    output: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "output": self.output}

    @classmethod
    def from_dict(cls, data: Any, where: Where | None = None) -> OutputLine:
        where = where or Where()
        obj = where.obj(data)
        ex_id, at = where.field(obj, "id")
        output, o_at = where.field(obj, "output")
        return cls(at.str_(ex_id), o_at.str_(output))


@dataclass(frozen=True)
class CacheEntry:
    """One cached output: ``{"key", "output"}``, the key a hash of the request."""

    key: str
    output: str

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "output": self.output}

    @classmethod
    def from_dict(cls, data: Any, where: Where | None = None) -> CacheEntry:
        where = where or Where()
        obj = where.obj(data)
        key, at = where.field(obj, "key")
        output, o_at = where.field(obj, "output")
        return cls(at.str_(key), o_at.str_(output))

"""A read-only mapping view of a typed record, keyed by its JSON field names.

Typed records are read through their attributes. Modules written when runs were plain
dicts (``seg.get("stats")``, ``score["ci95"]``) keep working through this view while they
move to attributes; it never copies and cannot change the record.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar


class MappingView(Mapping[str, Any]):
    """Mixin: ``record[key]``, ``record.get(key)``, ``key in record``, ``dict(record)``.

    Subclasses list their JSON keys in ``_KEYS``; each is read with ``getattr``.
    """

    _KEYS: ClassVar[tuple[str, ...]] = ()

    def __getitem__(self, key: str) -> Any:
        if key not in self._KEYS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._KEYS)

    def __len__(self) -> int:
        return len(self._KEYS)

"""One registry pattern for systems, scorers and other pluggable components.

Built-ins are registered lazily as ``"module:attr"`` strings, so nothing is imported
until a name is looked up. Third parties plug in through an entry-point group
(``evalkit.systems``, ``evalkit.scorers``), consulted on a lookup miss.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from evalkit.errors import UnknownNameError

T = TypeVar("T")


def import_spec(spec: str) -> Any:
    """Import ``"package.module:attr.sub"`` and return the attribute.

    Raises:
        UnknownNameError: if the module or attribute does not exist.
    """
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise UnknownNameError(f"not a 'module:attribute' spec: {spec!r}")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise UnknownNameError(f"cannot import module {module_name!r} for {spec!r}: {exc}") from exc
    except Exception as exc:  # user code failing while it is imported: a SyntaxError...
        raise UnknownNameError(
            f"cannot import module {module_name!r} for {spec!r}: {type(exc).__name__}: {exc}"
        ) from exc
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError as exc:
            raise UnknownNameError(f"module {module_name!r} has no attribute {attr!r}") from exc
    return obj


def suggest(name: str, choices: Iterable[str]) -> str:
    """A sentence listing ``choices`` and the closest match to ``name``, for errors."""
    names = sorted(set(choices))
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"known: {', '.join(names) if names else '(none)'}{hint}"


class Registry(Generic[T]):
    """Maps names to lazily imported objects.

    Args:
        kind: What is registered, for error messages ("system", "scorer").
        group: The entry-point group consulted when a name is not built in.
    """

    def __init__(self, kind: str, group: str):
        self.kind = kind
        self.group = group
        self._specs: dict[str, str] = {}
        self._loaded: dict[str, T] = {}

    def register(self, name: str, spec: str) -> None:
        """Register ``name`` as the object at ``spec`` (``"module:attr"``), imported on use."""
        self._specs[name] = spec
        self._loaded.pop(name, None)

    def builtin_names(self) -> list[str]:
        return sorted(self._specs)

    def _entry_points(self) -> dict[str, Any]:
        from importlib.metadata import entry_points

        return {ep.name: ep for ep in entry_points(group=self.group)}

    def names(self) -> list[str]:
        """Every name that resolves: built-ins and installed plugins."""
        return sorted(set(self._specs) | set(self._entry_points()))

    def get(self, name: str) -> T:
        """Return the object registered as ``name``.

        Raises:
            UnknownNameError: listing what exists and suggesting the closest name.
        """
        if name in self._loaded:
            return self._loaded[name]
        if name in self._specs:
            obj = import_spec(self._specs[name])
        else:
            eps = self._entry_points()
            if name not in eps:
                raise UnknownNameError(
                    f"unknown {self.kind} {name!r}; {suggest(name, self.names())}"
                )
            try:
                obj = eps[name].load()
            except Exception as exc:  # a broken plugin must name itself, not crash the CLI
                raise UnknownNameError(
                    f"{self.kind} plugin {name!r} ({eps[name].value}) failed to load: {exc}"
                ) from exc
        self._loaded[name] = obj
        return obj

"""One registry pattern for systems, scorers and other pluggable components.

Built-ins are registered lazily as ``"module:attr"`` strings, so nothing is imported
until a name is looked up. Third parties plug in through an entry-point group
(``evalkit.systems``, ``evalkit.scorers``), consulted on a lookup miss, or register an
object directly (``SCORERS.register("mine", MyScorer)``, from a notebook say).
"""

from __future__ import annotations

import importlib
from typing import Any, Generic, TypeVar

from evalkit.didyoumean import suggest
from evalkit.errors import ConfigError, UnknownNameError

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
        #: Names loaded from an entry point (cached in ``_loaded``, not registered).
        self._from_entry_points: set[str] = set()

    def register(self, name: str, obj: T | str) -> None:
        """Register ``name`` as ``obj``: the object itself, or a ``"module:attr"`` spec
        imported on first use. A later registration of the same name replaces it.

        Raises:
            ConfigError: for an empty name or a malformed spec.
        """
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"a {self.kind} name must be a non-empty string, got {name!r}")
        self.unregister(name)
        if isinstance(obj, str):
            module_name, sep, attr = obj.partition(":")
            if not sep or not module_name or not attr:
                raise ConfigError(
                    f"not a 'module:attribute' spec for {self.kind} {name!r}: {obj!r}"
                )
            self._specs[name] = obj
        else:
            self._loaded[name] = obj

    def unregister(self, name: str) -> None:
        """Forget ``name`` (registered here; entry points stay visible)."""
        self._specs.pop(name, None)
        self._loaded.pop(name, None)
        self._from_entry_points.discard(name)

    def builtin_names(self) -> list[str]:
        """Names registered here (as specs or objects), not counting entry points."""
        return sorted(set(self._specs) | set(self._loaded) - self._from_entry_points)

    def _entry_points(self) -> dict[str, Any]:
        from importlib.metadata import entry_points

        return {ep.name: ep for ep in entry_points(group=self.group)}

    def names(self) -> list[str]:
        """Every name that resolves: built-ins and installed plugins."""
        return sorted(set(self.builtin_names()) | set(self._entry_points()))

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
            self._from_entry_points.add(name)
        self._loaded[name] = obj
        return obj

"""Turn a ``--system NAME`` into a :class:`~evalkit.systems.base.System`.

Names resolve in this order:

1. a system defined in ``evalkit.toml`` (or ``[tool.evalkit]`` of ``pyproject.toml``)
   of the current directory;
2. an entry point in the group ``evalkit.systems`` (an installed plugin);
3. a registered system: a built-in (``copy-source``, ``reference``, ``lead``) or one
   registered with ``SYSTEMS.register(name, obj)`` (a :class:`System` subclass or
   instance, or a function from texts to texts, see :mod:`evalkit.systems.function`);
4. a ``module:callable`` spec (a :class:`System` subclass, or a function taking a
   list of requests and returning a list of texts).

Unknown names raise an error that lists what exists and suggests the closest name.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

from evalkit.config import Config, check_system, load_config
from evalkit.didyoumean import suggest
from evalkit.errors import ConfigError, UnknownNameError
from evalkit.registry import import_spec
from evalkit.systems import BUILTINS, KINDS
from evalkit.systems.base import System

ENTRY_POINT_GROUP = "evalkit.systems"


def _plugins() -> dict[str, Any]:
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _instantiate(cls: type[System], name: str, config: dict[str, Any], root: Path | None) -> System:
    params = inspect.signature(cls).parameters
    if root is not None and (
        "root" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
    ):
        return cls(name, config, root=root)  # type: ignore[call-arg]
    return cls(name, config)


def _build(obj: Any, name: str, origin: str) -> System:
    """A system from whatever a plugin or spec points at."""
    if isinstance(obj, System):
        return obj
    if isinstance(obj, type) and issubclass(obj, System):
        return _instantiate(obj, name, {}, None)
    if callable(obj):
        from evalkit.systems.python_callable import PythonSystem

        return PythonSystem(name, {"callable": origin}, function=obj)
    raise UnknownNameError(f"system {name!r} ({origin}) is neither a System subclass nor callable")


def _registered(obj: Any, name: str) -> System:
    """A system from an object registered in :data:`~evalkit.systems.SYSTEMS`."""
    if isinstance(obj, System):
        return obj
    if isinstance(obj, type) and issubclass(obj, System):
        return _instantiate(obj, name, {}, None)
    if callable(obj):
        from evalkit.systems.function import FunctionSystem

        return FunctionSystem(name, {}, function=obj)
    raise UnknownNameError(f"system {name!r} is registered as {obj!r}, not a system")


def _kind_class(kind: str, name: str, config: Config) -> type[System]:
    if kind in KINDS.names():
        return KINDS.get(kind)
    if kind in BUILTINS.builtin_names():  # e.g. kind = "lead" with its own options
        obj = BUILTINS.get(kind)
        if isinstance(obj, type) and issubclass(obj, System):
            return obj
    known = sorted(set(KINDS.names()) | set(BUILTINS.builtin_names()))
    raise ConfigError(
        f"system {name!r}: unknown kind {kind!r}; {suggest(kind, known)}", path=config.path
    )


def _first_line(doc: str | None) -> str:
    lines = (doc or "").strip().splitlines()
    return lines[0] if lines else "registered"


def available_systems(cwd: str | Path | None = None) -> dict[str, str]:
    """Every name ``--system`` accepts here, with where it comes from."""
    config = load_config(cwd)
    out = {name: _first_line(BUILTINS.get(name).__doc__) for name in BUILTINS.builtin_names()}
    out.update({name: f"plugin {ep.value}" for name, ep in _plugins().items()})
    for name, table in config.systems.items():
        described = f": {table['description']}" if table.get("description") else ""
        out[name] = f"{table['kind']} system in {config.path}{described}"
    return dict(sorted(out.items()))


def resolve_system(name: str, *, cwd: str | Path | None = None) -> System:
    """The system called ``name`` here (see the module docstring for the order).

    Raises:
        UnknownNameError: listing the systems that exist and the closest name.
        ConfigError: if the system's configuration is invalid.
    """
    if not isinstance(name, str) or not name or "\0" in name:
        raise UnknownNameError(f"invalid system name {name!r}")
    config = load_config(cwd)
    if name in config.systems:
        check_system(config, name)
        table = config.systems[name]
        cls = _kind_class(str(table["kind"]), name, config)
        options = {k: v for k, v in table.items() if k != "kind"}
        if name in BUILTINS.builtin_names():
            # a checked-out configuration can redefine a built-in: say so, never silently
            print(
                f"evalkit: system {name!r} is defined by {config.path}, not the built-in",
                file=sys.stderr,
            )
        return _instantiate(cls, name, options, config.root)
    plugins = _plugins()
    if name in plugins:
        try:
            obj = plugins[name].load()
        except Exception as exc:  # a broken plugin must name itself, not crash the CLI
            raise UnknownNameError(
                f"system plugin {name!r} ({plugins[name].value}) failed to load: {exc}"
            ) from exc
        return _build(obj, name, plugins[name].value)
    if name in BUILTINS.builtin_names():
        return _registered(BUILTINS.get(name), name)
    if ":" in name and not name.startswith(("/", ".")):
        base = str(Path(cwd) if cwd is not None else Path.cwd())
        if base not in sys.path:
            sys.path.insert(0, base)
        return _build(import_spec(name), name, name)
    known = set(config.systems) | set(plugins) | set(BUILTINS.builtin_names())
    where = f" (systems defined in {config.path})" if config.path else " (no evalkit.toml here)"
    raise UnknownNameError(
        f"unknown system {name!r}; {suggest(name, known)}; or give 'module:callable'{where}"
    )

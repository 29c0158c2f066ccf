"""Project configuration: ``evalkit.toml``, or ``[tool.evalkit]`` in ``pyproject.toml``.

The format is a public contract (documented in the README)::

    [systems.mytranslator]
    kind = "command"                      # command | openai | hf | python | outputs
    command = ["python", "translate.py"]  # an argv list, never a shell string
    timeout = 120                         # seconds per batch
    batch_size = 8

In ``pyproject.toml`` the same tables live under ``[tool.evalkit.systems.NAME]``.
Reading a configuration never runs code: a system's program or module is only
started when that system is named on the command line.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evalkit.didyoumean import unknown_key_message
from evalkit.errors import ConfigError

if TYPE_CHECKING:
    from evalkit.systems.base import System

CONFIG_FILE = "evalkit.toml"
PYPROJECT_FILE = "pyproject.toml"


@dataclass(frozen=True)
class Config:
    """The systems a project defines.

    Attributes:
        path: The file read, or None when the directory has no configuration.
        systems: System name -> its table (``kind`` plus kind-specific keys).
        data: Everything the file holds for evalkit (all of ``evalkit.toml``, or
            ``[tool.evalkit]``), for commands that read their own table (``[check]``).
    """

    path: Path | None = None
    systems: dict[str, dict[str, Any]] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        """The folder relative paths in the configuration are resolved against."""
        return self.path.parent if self.path is not None else Path.cwd()


def _toml_load(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc}", path=path) from exc


#: The tables a configuration may hold, with what each is for.
TABLES = {
    "systems": "systems to evaluate, one table per name",
    "scorers": "scorer options, one table per metric",
    "check": "settings of `evalkit check` ([check.max_drop])",
    "prices": "US dollars per million input and output tokens, per model",
}
#: The keys of ``[check]``.
CHECK_KEYS = ("max_drop",)


def _check_tables(data: dict[str, Any], path: Path, prefix: str) -> None:
    """Refuse a table or key evalkit does not know (``[system.x]``, ``batchsize = 4``)."""
    for key, value in data.items():
        what = "table" if isinstance(value, dict) else "key"
        if key not in TABLES:
            raise ConfigError(
                f"[{prefix}]: {unknown_key_message(key, TABLES, what=what)}"
                if prefix
                else unknown_key_message(key, TABLES, what=what),
                path=path,
            )
    if "prices" in data:  # one line naming the model and key at fault
        from evalkit.costs import parse_prices

        parse_prices(data["prices"], str(path))
    check = data.get("check")
    if check is not None:
        if not isinstance(check, dict):
            raise ConfigError(f"[{prefix}{'.' if prefix else ''}check] must be a table", path=path)
        for key, value in check.items():
            if key not in CHECK_KEYS:
                what = "table" if isinstance(value, dict) else "key"
                raise ConfigError(
                    f"[{prefix}{'.' if prefix else ''}check]: "
                    f"{unknown_key_message(key, CHECK_KEYS, what=what)}",
                    path=path,
                )


def _kind_class(kind: str) -> type[System] | None:
    """The class of a built-in kind (or a built-in system used as a kind), else None."""
    from evalkit.systems import BUILTINS, KINDS
    from evalkit.systems.base import System

    obj = None
    if kind in KINDS.builtin_names():
        obj = KINDS.get(kind)
    elif kind in BUILTINS.builtin_names():
        obj = BUILTINS.get(kind)
    return obj if isinstance(obj, type) and issubclass(obj, System) else None


def known_kinds() -> list[str]:
    """Every ``kind`` a system table may name: built-in kinds, built-ins, plugin kinds."""
    from evalkit.systems import BUILTINS, KINDS

    return sorted(set(KINDS.names()) | set(BUILTINS.builtin_names()))


def _systems_table(raw: Any, path: Path, where: str) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"[{where}] must be a table of systems", path=path)
    systems: dict[str, dict[str, Any]] = {}
    for name, table in raw.items():
        here = f"[{where}.{name}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{here} must be a table", path=path)
        kind = table.get("kind")
        if not isinstance(kind, str) or not kind:
            raise ConfigError(
                f"{here}: missing 'kind' (one of {', '.join(known_kinds())})", path=path
            )
        systems[name] = dict(table)
    return systems


def system_table_name(config: Config, name: str) -> str:
    """``[systems.NAME]``, or ``[tool.evalkit.systems.NAME]`` in ``pyproject.toml``."""
    pyproject = config.path is not None and config.path.name == PYPROJECT_FILE
    return f"[{'tool.evalkit.' if pyproject else ''}systems.{name}]"


def check_system(config: Config, name: str) -> None:
    """Check the table of system ``name``: its kind, and its keys against the kind's options.

    A table is checked when its system is named, so a table another tool reads (a kind
    from a plugin not installed here) does not stop the others from running.

    Raises:
        ConfigError: one line naming the file, the table and the key, with the closest
            valid name, for an unknown kind or key, a wrong type, NaN or infinity.
    """
    from evalkit.options import validate
    from evalkit.systems.base import declares_options

    table = config.systems[name]
    here = system_table_name(config, name)
    kind = str(table["kind"])
    cls = _kind_class(kind)
    if cls is None and kind not in known_kinds():
        message = unknown_key_message(kind, known_kinds(), what="kind")
        raise ConfigError(f"{here}: {message}", path=config.path)
    if cls is not None and declares_options(cls):
        validate(table, cls.options, where=here, path=config.path, ignore=("kind",))


def load_config(directory: str | Path | None = None) -> Config:
    """Read the configuration of ``directory`` (default: the current directory).

    ``evalkit.toml`` wins over ``pyproject.toml``; a directory with neither (or a
    ``pyproject.toml`` without ``[tool.evalkit]``) has an empty configuration.

    Every top-level table is checked (``[system.x]`` is an error that suggests
    ``[systems.x]``); a system's own table is checked when it is named (see
    :func:`check_system`).

    Raises:
        ConfigError: naming the file for invalid TOML or a malformed table.
    """
    base = Path(directory) if directory is not None else Path.cwd()
    toml_path = base / CONFIG_FILE
    if toml_path.is_file():
        data = _toml_load(toml_path)
        _check_tables(data, toml_path, "")
        return Config(toml_path, _systems_table(data.get("systems"), toml_path, "systems"), data)
    pyproject = base / PYPROJECT_FILE
    if pyproject.is_file():
        tool = _toml_load(pyproject).get("tool", {})
        section = tool.get("evalkit") if isinstance(tool, dict) else None
        if isinstance(section, dict):
            _check_tables(section, pyproject, "tool.evalkit")
            systems = _systems_table(section.get("systems"), pyproject, "tool.evalkit.systems")
            return Config(pyproject, systems, section)
    return Config()


def scorer_options(config: Config, metrics: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The ``[scorers.NAME]`` tables of ``config`` for ``metrics`` (only those set).

    Raises:
        ConfigError: naming the file for a table of the wrong shape, an option the
            scorer does not declare or a value it refuses, or for ``trust_checkpoint``
            (unpickling runs code: never from a checked-out file).
    """
    table = config.data.get("scorers") or {}
    if not isinstance(table, dict):
        raise ConfigError("[scorers] must be a table of tables", path=config.path)
    unknown = [m for m in table if m not in metrics]
    if unknown:
        from evalkit.scorers import SCORERS

        known = SCORERS.names()
        for metric in unknown:
            if metric not in known:
                raise ConfigError(
                    f"[scorers.{metric}]: {unknown_key_message(metric, known, what='scorer')}",
                    path=config.path,
                )
    out = {}
    for metric in metrics:
        value = table.get(metric)
        if value is None:
            continue
        if not isinstance(value, dict):
            raise ConfigError(f"[scorers.{metric}] must be a table", path=config.path)
        if "trust_checkpoint" in value:
            raise ConfigError(
                f"[scorers.{metric}] trust_checkpoint cannot be set in a configuration file",
                path=config.path,
            )
        out[metric] = _checked_scorer_table(metric, value, config)
    return out


def _checked_scorer_table(metric: str, table: dict[str, Any], config: Config) -> dict[str, Any]:
    """``[scorers.NAME]`` checked against the scorer's declared options, naming the file."""
    from evalkit.errors import UnknownNameError
    from evalkit.scorers import SCORERS
    from evalkit.scorers.options import validate_scorer_options

    try:
        cls = SCORERS.get(metric)
    except UnknownNameError:
        return dict(table)  # an unknown metric is reported with the metrics asked for
    return validate_scorer_options(cls, table, where=f"[scorers.{metric}]", path=config.path)

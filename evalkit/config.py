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
from typing import Any

from evalkit.errors import ConfigError

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


def _systems_table(raw: Any, path: Path, where: str) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table of systems", path=path)
    systems: dict[str, dict[str, Any]] = {}
    for name, table in raw.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{where}.{name} must be a table", path=path)
        kind = table.get("kind")
        if not isinstance(kind, str) or not kind:
            raise ConfigError(
                f"{where}.{name}: missing 'kind' (command, openai, hf, python, outputs)", path=path
            )
        systems[name] = dict(table)
    return systems


def load_config(directory: str | Path | None = None) -> Config:
    """Read the configuration of ``directory`` (default: the current directory).

    ``evalkit.toml`` wins over ``pyproject.toml``; a directory with neither (or a
    ``pyproject.toml`` without ``[tool.evalkit]``) has an empty configuration.

    Raises:
        ConfigError: naming the file for invalid TOML or a malformed systems table.
    """
    base = Path(directory) if directory is not None else Path.cwd()
    toml_path = base / CONFIG_FILE
    if toml_path.is_file():
        data = _toml_load(toml_path)
        return Config(toml_path, _systems_table(data.get("systems"), toml_path, "systems"), data)
    pyproject = base / PYPROJECT_FILE
    if pyproject.is_file():
        tool = _toml_load(pyproject).get("tool", {})
        section = tool.get("evalkit") if isinstance(tool, dict) else None
        if isinstance(section, dict):
            systems = _systems_table(section.get("systems"), pyproject, "tool.evalkit.systems")
            return Config(pyproject, systems, section)
    return Config()


def scorer_options(config: Config, metrics: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The ``[scorers.NAME]`` tables of ``config`` for ``metrics`` (only those set).

    Raises:
        ConfigError: naming the file for a table of the wrong shape, or for
            ``trust_checkpoint`` (unpickling runs code: never from a checked-out file).
    """
    table = config.data.get("scorers") or {}
    if not isinstance(table, dict):
        raise ConfigError("[scorers] must be a table of tables", path=config.path)
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
        out[metric] = dict(value)
    return out

"""The one family of errors a user can fix.

The CLI prints ``str(error)`` on one line and exits 2 (see ``evalkit.cli``); the
library raises and never calls ``sys.exit``.
"""

from __future__ import annotations

from pathlib import Path


class EvalkitError(Exception):
    """An error the user can fix, described in one line.

    Args:
        message: What is wrong and, where it helps, what to do about it.
        path: The file at fault, if any.
        line: The 1-based line number at fault, if any.
    """

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return (where + self.message).replace("\n", " ")


class ConfigError(EvalkitError):
    """A configuration file or command-line value is invalid."""


class UnknownNameError(EvalkitError):
    """A system, scorer or other registered name does not exist."""


class DataError(EvalkitError):
    """Input data (digests, datasets, output files) cannot be read or understood."""


class SystemFailure(EvalkitError):
    """A system under evaluation failed: raised, hung, or answered wrongly."""


#: The evalkit 0.1 name of :class:`SystemFailure` (it shadowed the builtin ``SystemError``).
SystemError_ = SystemFailure


class IncomparableError(EvalkitError):
    """Two runs or a run and a baseline cannot be compared."""

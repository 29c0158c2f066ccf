"""evalkit: translation and summarization evaluation for EN/KO/JA ML-paper digests.

Importing this package is cheap on purpose: heavy dependencies (numpy, datasets,
MeCab, torch) are imported by the modules that use them, never here. The public names
below are imported on first use (``evalkit.evaluate`` imports the runner only when read)::

    import evalkit

    result = evalkit.evaluate(system=lambda texts: texts, name="copy", pairs="en-ko")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> ``"module:attribute"``, imported on first access.
_EXPORTS: dict[str, str] = {
    "evaluate": "evalkit.api:evaluate",
    "register_system": "evalkit.api:register_system",
    "register_scorer": "evalkit.api:register_scorer",
    "System": "evalkit.systems.base:System",
    "Request": "evalkit.systems.base:Request",
    "FunctionSystem": "evalkit.systems.function:FunctionSystem",
    "SYSTEMS": "evalkit.systems:SYSTEMS",
    "resolve_system": "evalkit.systems.resolve:resolve_system",
    "Scorer": "evalkit.scorers.base:Scorer",
    "Score": "evalkit.scorers.base:Score",
    "SCORERS": "evalkit.scorers:SCORERS",
    "get_scorer": "evalkit.scorers:get_scorer",
    "RunOptions": "evalkit.run:RunOptions",
    "RunResult": "evalkit.run:RunResult",
    "Option": "evalkit.options:Option",
    "load_config": "evalkit.config:load_config",
    "EvalkitError": "evalkit.errors:EvalkitError",
    "ConfigError": "evalkit.errors:ConfigError",
    "DataError": "evalkit.errors:DataError",
    "UnknownNameError": "evalkit.errors:UnknownNameError",
    "SystemFailure": "evalkit.errors:SystemFailure",
    "IncomparableError": "evalkit.errors:IncomparableError",
}

__all__ = [
    "__version__",
    "evaluate",
    "register_system",
    "register_scorer",
    "System",
    "Request",
    "FunctionSystem",
    "SYSTEMS",
    "resolve_system",
    "Scorer",
    "Score",
    "SCORERS",
    "get_scorer",
    "RunOptions",
    "RunResult",
    "Option",
    "load_config",
    "EvalkitError",
    "ConfigError",
    "DataError",
    "UnknownNameError",
    "SystemFailure",
    "IncomparableError",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time see __getattr__
    from evalkit.api import evaluate, register_scorer, register_system
    from evalkit.config import load_config
    from evalkit.errors import (
        ConfigError,
        DataError,
        EvalkitError,
        IncomparableError,
        SystemFailure,
        UnknownNameError,
    )
    from evalkit.options import Option
    from evalkit.run import RunOptions, RunResult
    from evalkit.scorers import SCORERS, get_scorer
    from evalkit.scorers.base import Score, Scorer
    from evalkit.systems import SYSTEMS
    from evalkit.systems.base import Request, System
    from evalkit.systems.function import FunctionSystem
    from evalkit.systems.resolve import resolve_system


def __getattr__(name: str) -> Any:
    spec = _EXPORTS.get(name)
    if spec is None:
        raise AttributeError(f"module 'evalkit' has no attribute {name!r}")
    module_name, _, attr = spec.partition(":")
    value = getattr(importlib.import_module(module_name), attr)
    globals()[name] = value  # the next access skips this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))

"""Systems under evaluation: the registry of built-ins and plugin systems.

Names resolve in this order (see :func:`evalkit.systems.resolve.resolve_system`): a
system defined in ``evalkit.toml`` / ``[tool.evalkit]``, an entry point in the group
``evalkit.systems``, a registered system (the built-ins, and whatever was registered with
``SYSTEMS.register(name, obj)``), a ``module:callable`` spec.
"""

from __future__ import annotations

from typing import Any

from evalkit.registry import Registry
from evalkit.systems.base import Request, System

__all__ = ["BUILTINS", "KINDS", "SYSTEMS", "Request", "System"]

#: Systems by name: the built-ins (classes taking ``(name, config)``) and what users
#: register: a :class:`System` subclass or instance, or a function from texts to texts
#: (see :mod:`evalkit.systems.function`), or a ``"module:attr"`` spec of one of those.
SYSTEMS: Registry[Any] = Registry("system", "evalkit.systems")
#: The evalkit 0.1 name of :data:`SYSTEMS`.
BUILTINS = SYSTEMS
#: System kinds a config can define.
KINDS: Registry[type[System]] = Registry("system kind", "evalkit.system_kinds")

for _name, _spec in {
    "command": "evalkit.systems.command:CommandSystem",
    "openai": "evalkit.systems.openai_compat:OpenAISystem",
    "hf": "evalkit.systems.hf:HFSystem",
    "python": "evalkit.systems.python_callable:PythonSystem",
    "outputs": "evalkit.systems.outputs:OutputsSystem",
}.items():
    KINDS.register(_name, _spec)

for _name, _spec in {
    "copy-source": "evalkit.systems.builtins:CopySource",
    "reference": "evalkit.systems.builtins:Reference",
    "lead": "evalkit.systems.builtins:Lead",
}.items():
    SYSTEMS.register(_name, _spec)

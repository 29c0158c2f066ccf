"""Systems under evaluation: the registry of built-ins and plugin systems.

Names resolve in this order (see :func:`evalkit.systems.resolve.resolve_system`): a
system defined in ``evalkit.toml`` / ``[tool.evalkit]``, an entry point in the group
``evalkit.systems``, a built-in, a ``module:callable`` spec.
"""

from __future__ import annotations

from evalkit.registry import Registry
from evalkit.systems.base import Request, System

__all__ = ["BUILTINS", "KINDS", "Request", "System"]

#: Built-in systems by name (classes taking ``(name, config)``).
BUILTINS: Registry[type[System]] = Registry("system", "evalkit.systems")
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
    BUILTINS.register(_name, _spec)

"""Scorer options: a scorer class's declared :class:`~evalkit.options.Option` tuple, checked
by :func:`evalkit.options.validate` wherever the options come from.

A scorer class lists what it accepts in its ``declared_options`` class attribute. Options
from ``evalkit.toml`` (``[scorers.NAME]``), ``--scorer-option NAME.KEY=VALUE`` and the
Python API all go through :func:`validate_scorer_options`; scorer instances are cached by
:func:`evalkit.options.serialize` of the checked options. This module only adapts a
scorer class to that one declaration and validation; it declares nothing of its own.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from evalkit.didyoumean import unknown_key_message
from evalkit.errors import ConfigError
from evalkit.option_checks import at_least
from evalkit.options import Option, non_finite, serialize, show
from evalkit.options import validate as _validate

if TYPE_CHECKING:
    from evalkit.scorers.base import Scorer

__all__ = [
    "ScorerOption",
    "describe_options",
    "options_key",
    "validate_scorer_options",
]


def ScorerOption(  # noqa: N802 - the evalkit 0.1 name plugins construct
    name: str,
    type: type,
    default: Any = None,
    choices: tuple[Any, ...] | None = None,
    minimum: float | None = None,
    help: str = "",
) -> Option:
    """An :class:`~evalkit.options.Option` from the 0.1 scorer declaration's arguments."""
    return Option(
        name,
        type,
        default,
        help,
        check=at_least(minimum) if minimum is not None else None,
        choices=tuple(choices) if choices is not None else None,
    )


def _label(cls: type[Scorer]) -> str:
    return getattr(cls, "name", "") or cls.__name__


def validate_scorer_options(
    cls: type[Scorer], options: Mapping[str, Any], *, where: str = "", path: Any = None
) -> dict[str, Any]:
    """The options of ``options`` that ``cls`` declares, checked (defaults not filled in).

    A scorer class without ``declared_options`` (a plugin written for evalkit 0.1) is
    checked against its constructor's signature instead.

    Args:
        cls: The scorer class.
        options: The options as given.
        where: What the options are, for messages (default ``scorer 'NAME'``).
        path: The file they come from, if any.

    Raises:
        ConfigError: one line naming the scorer, the key and what is wrong.
    """
    where = where or f"scorer {_label(cls)!r}"
    declared = getattr(cls, "declared_options", None)
    if declared is None:
        checked = _check_by_signature(cls, where, options, path)
    else:
        checked = _validate(
            options, declared, where=where, path=path, what="option", defaults=False
        )
    try:
        serialize(checked, where=where)  # fails here, in one line, on what cannot be a key
    except ConfigError as exc:
        raise ConfigError(exc.message, path=path) from exc
    return checked


def _check_by_signature(
    cls: type[Scorer], where: str, options: Mapping[str, Any], path: Any
) -> dict[str, Any]:
    params = inspect.signature(cls).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    known = [p for p in params if p != "lang"]
    for key, value in options.items():
        if key not in params and not takes_any:
            message = unknown_key_message(key, known, what="option")
            raise ConfigError(f"{where}: {message}", path=path)
        if non_finite(value):
            raise ConfigError(f"{where}: {key} must be finite, got {show(value)}", path=path)
    return dict(options)


def options_key(scorer: str, options: Mapping[str, Any]) -> str:
    """The key that caches a scorer instance: :func:`evalkit.options.serialize`."""
    return serialize(options, where=f"scorer {scorer!r}")


def describe_options(cls: type[Scorer]) -> list[str]:
    """One line per declared option of ``cls`` (:meth:`Option.describe`)."""
    return [o.describe() for o in getattr(cls, "declared_options", None) or ()]

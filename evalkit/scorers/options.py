"""Scorer options: declared per scorer class, validated in one place, keyed canonically.

A scorer class lists what it accepts as :class:`ScorerOption` declarations in its
``declared_options`` class attribute (name, type, default, allowed values). Options
from ``evalkit.toml`` (``[scorers.NAME]``), ``--scorer-option NAME.KEY=VALUE`` and the
Python API all go through :func:`validate_scorer_options`, which turns every mistake
into one line (unknown key with a did-you-mean, wrong type, NaN or infinity, a value
outside the allowed ones), and through :func:`options_key`, the canonical
serialization that caches scorer instances.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evalkit.errors import ConfigError
from evalkit.registry import suggest

if TYPE_CHECKING:
    from evalkit.scorers.base import Scorer

_TYPE_NAMES = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}


@dataclass(frozen=True)
class ScorerOption:
    """One option a scorer accepts.

    Attributes:
        name: The key (``smooth_method``).
        type: ``bool``, ``int``, ``float`` or ``str`` (a ``float`` option takes integers too).
        default: The value when not given (None: the scorer picks, e.g. by language).
        choices: The allowed values, or None for any value of :attr:`type`.
        minimum: The smallest allowed number, or None.
        help: One line for documentation.
    """

    name: str
    type: type
    default: Any = None
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    help: str = ""

    def check(self, scorer: str, value: Any) -> Any:
        """``value`` if it fits this option (an int for a float option becomes a float).

        Raises:
            ConfigError: naming the scorer, the key and the value.
        """
        where = f"scorer option {scorer}.{self.name}"
        if value is None:
            if self.default is None:
                return None
            raise ConfigError(f"{where} must be {_TYPE_NAMES[self.type]}, got null")
        ok = type(value) is self.type or (self.type is float and type(value) is int)
        if not ok:
            raise ConfigError(
                f"{where} must be {_TYPE_NAMES[self.type]}, got {_show(value)}"
                f" ({type(value).__name__})"
            )
        if self.type is float:
            value = float(value)
            if not math.isfinite(value):
                raise ConfigError(f"{where} must be a finite number, got {value}")
        if self.choices is not None and value not in self.choices:
            close = suggest(str(value), [str(c) for c in self.choices])
            raise ConfigError(f"{where}: {_show(value)} is not allowed; {close}")
        if self.minimum is not None and value < self.minimum:
            raise ConfigError(f"{where} must be >= {self.minimum:g}, got {_show(value)}")
        return value


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_scorer_options(cls: type[Scorer], options: Mapping[str, Any]) -> dict[str, Any]:
    """The options of ``options`` that ``cls`` declares, checked (defaults not filled in).

    A scorer class without ``declared_options`` (a plugin written for evalkit 0.1) is
    checked against its constructor's signature instead.

    Raises:
        ConfigError: one line naming the scorer, the key and what is wrong.
    """
    declared = getattr(cls, "declared_options", None)
    name = getattr(cls, "name", "") or cls.__name__
    if declared is None:
        return _check_by_signature(cls, name, options)
    by_name = {o.name: o for o in declared}
    out: dict[str, Any] = {}
    for key, value in options.items():
        spec = by_name.get(key)
        if spec is None:
            raise ConfigError(f"scorer {name!r} has no option {key!r}; {suggest(key, by_name)}")
        out[key] = spec.check(name, value)
    return out


def _check_by_signature(cls: type[Scorer], name: str, options: Mapping[str, Any]) -> dict[str, Any]:
    import inspect

    params = inspect.signature(cls).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    known = [p for p in params if p != "lang"]
    for key in options:
        if key not in params and not takes_any:
            raise ConfigError(f"scorer {name!r} has no option {key!r}; {suggest(key, known)}")
    for key, value in options.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"scorer option {name}.{key} must be a finite number, got {value}")
    options_key(name, options)  # fails here, in one line, on what cannot be serialized
    return dict(options)


def options_key(scorer: str, options: Mapping[str, Any]) -> str:
    """The canonical serialization of validated options (sorted keys, JSON).

    Raises:
        ConfigError: if a value is not a JSON value (a plugin's own option).
    """
    try:
        return json.dumps(dict(options), sort_keys=True, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        shown = _show(dict(options))
        raise ConfigError(f"scorer {scorer!r}: options {shown} are not plain values") from exc


def describe_options(cls: type[Scorer]) -> list[str]:
    """One line per declared option of ``cls``: ``name (type, default): help``."""
    out = []
    for o in getattr(cls, "declared_options", None) or ():
        kind = o.type.__name__ + (f" in {'/'.join(map(str, o.choices))}" if o.choices else "")
        out.append(f"{o.name} ({kind}, default {o.default!r}): {o.help}")
    return out


def parse_scorer_option(text: str) -> tuple[str, str, Any]:
    """``METRIC.KEY=VALUE`` as ``(metric, key, value)``; VALUE is read as a TOML value
    (``8``, ``true``, ``"a b"``) and otherwise kept as text (``/models/comet``).

    Raises:
        ConfigError: naming ``text`` when it is not of that form.
    """
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    name, sep, raw = text.partition("=")
    metric, dot, key = name.strip().partition(".")
    if not sep or not dot or not metric or not key:
        raise ConfigError(f"scorer option {text!r} is not METRIC.KEY=VALUE (e.g. comet.model=DIR)")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    return metric, key.strip(), value

"""Options declared once, validated in one place: system kinds and scorers share this.

A component declares its options as a tuple of :class:`Option` (a system kind in its
``OPTIONS``, a scorer class in ``declared_options``); :func:`validate` checks a table
against the declaration. Every problem is one line naming where the table came from and
the key at fault: an unknown key (with the closest declared name), a missing required
key, a wrong type, NaN or infinity (anywhere, nested values included), a value outside
the declared choices or one its ``check`` refuses (:mod:`evalkit.option_checks`).

:func:`canonical` serializes validated options for cache keys and run identities: the same
settings give the same text however they were written (``timeout = 5`` or ``5.0``, a
default given or left out), and options that cannot change an output (``identity=False``:
timeouts, retries, concurrency) are left out, so changing them keeps the cache.

Example::

    OPTIONS = (
        Option("timeout", float, 600.0, "seconds per batch", check=positive, identity=False),
        Option("command", list, doc="argv list", items=str, required=True, check=non_empty),
        Option("mode", str, "auto", "how to load", choices=("auto", "seq2seq", "causal")),
    )
    values = validate(table, OPTIONS, where="[systems.mine]", path=config_path)
"""

from __future__ import annotations

import builtins
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evalkit.didyoumean import unknown_key_message
from evalkit.errors import ConfigError
from evalkit.option_checks import Check, closest_choice, is_choice

_TYPE_NAMES = {
    bool: "true or false",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "a table",
}


@dataclass(frozen=True)
class Option:
    """One declared option.

    Attributes:
        name: The key, as written in a configuration file.
        type: The accepted Python type, or a tuple of them. ``float`` accepts integers
            (stored as floats); ``int`` and ``float`` never accept booleans or strings.
        default: The value when the key is absent (None: unset, and None may be given).
        doc: One line for documentation and ``--help`` texts.
        check: Further constraint on a value of the right type (:mod:`evalkit.option_checks`).
        required: Whether the key must be given.
        identity: Whether the option can change an output: only those go into
            :func:`canonical` (cache keys, run identities).
        items: For a list, the type of its elements; for a table, the type of its values.
        choices: The allowed values, or None for any value of :attr:`type`.
    """

    name: str
    type: type | tuple[type, ...]
    default: Any = None
    doc: str = ""
    check: Check | None = None
    required: bool = False
    identity: bool = True
    items: builtins.type | tuple[builtins.type, ...] | None = None
    choices: tuple[Any, ...] | None = None

    def describe_type(self) -> str:
        """``"an integer"``, ``"a string or a list"``: the accepted types, for messages."""
        types = self.type if isinstance(self.type, tuple) else (self.type,)
        names = [_TYPE_NAMES.get(t, t.__name__) for t in types]
        if self.items is not None and types == (list,):
            return f"a list of {_plural(self.items)}"
        if self.items is not None and types == (dict,):
            return f"a table of {_plural(self.items)}"
        return " or ".join(names)

    def describe(self) -> str:
        """``smooth_method (a string, one of 'exp', 'floor'; default 'exp'): smoothing``."""
        kind = self.describe_type()
        if self.choices is not None:
            kind += f", one of {', '.join(map(repr, self.choices))}"
        kind += "; required" if self.required else f"; default {self.default!r}"
        return f"{self.name} ({kind})" + (f": {self.doc}" if self.doc else "")


def _plural(t: type | tuple[type, ...]) -> str:
    types = t if isinstance(t, tuple) else (t,)
    words = {str: "strings", int: "integers", float: "numbers", bool: "booleans"}
    return " or ".join(words.get(x, x.__name__) for x in types)


def declare(*groups: Iterable[Option]) -> tuple[Option, ...]:
    """Concatenate declarations; a later option of the same name replaces an earlier one.

    Lets a kind take the common options and change one default (``batch_size``).
    """
    out: dict[str, Option] = {}
    for group in groups:
        for opt in group:
            out[opt.name] = opt
    return tuple(out.values())


def show(value: Any) -> str:
    """``repr(value)``, cut to 60 characters, for messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def non_finite(value: Any) -> bool:
    """Whether ``value`` is or holds (in lists and tables) a NaN or an infinity."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Mapping):
        return any(non_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(non_finite(v) for v in value)
    return False


def has_nul(value: Any) -> bool:
    """Whether ``value`` is or holds a string with a NUL character (no path or argv can)."""
    if isinstance(value, str):
        return "\0" in value
    if isinstance(value, Mapping):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_nul(v) for v in value)
    return False


def _is(value: Any, types: type | tuple[type, ...]) -> bool:
    accepted = types if isinstance(types, tuple) else (types,)
    if isinstance(value, bool):
        return bool in accepted
    if float in accepted and isinstance(value, int):
        return True
    return isinstance(value, accepted)


def check_value(opt: Option, value: Any) -> Any:
    """``value`` for ``opt``, normalized (an integer given for a float becomes a float).

    Raises:
        ValueError: saying what is wrong, starting with the option's name (the caller
            adds where the value comes from).
    """
    if value is None and not opt.required and opt.default is None:
        return None  # unset, as when the key is left out
    if non_finite(value):
        raise ValueError(f"{opt.name} must be finite, got {show(value)}")
    if has_nul(value):
        raise ValueError(f"{opt.name} must not contain a NUL character, got {show(value)}")
    wrong = f"{opt.name} must be {opt.describe_type()}, got {show(value)} ({type(value).__name__})"
    if not _is(value, opt.type):
        raise ValueError(wrong)
    if opt.items is not None and isinstance(value, (list, dict)):
        elements = value.values() if isinstance(value, dict) else value
        if not all(_is(v, opt.items) for v in elements):
            raise ValueError(wrong)
    types = opt.type if isinstance(opt.type, tuple) else (opt.type,)
    if float in types and int not in types and type(value) is int:
        value = float(value)
    if opt.choices is not None and not is_choice(value, opt.choices):
        close = closest_choice(value, opt.choices)
        hint = f"; did you mean {close!r}?" if close else ""
        allowed = ", ".join(repr(c) for c in opt.choices)
        raise ValueError(f"{opt.name} must be one of {allowed}, got {show(value)}{hint}")
    if opt.check is not None:
        problem = opt.check(value)
        if problem:
            raise ValueError(f"{opt.name} {problem}, got {show(value)}")
    return value


def validate(
    table: Mapping[str, Any],
    declared: Sequence[Option],
    *,
    where: str,
    path: Any = None,
    ignore: Iterable[str] = (),
    what: str = "key",
    defaults: bool = True,
) -> dict[str, Any]:
    """Check ``table`` against ``declared``.

    Args:
        table: The options as given (a TOML table, keyword arguments).
        declared: The component's declaration.
        where: What the table is, for messages (``[systems.mine]``, ``scorer 'bleu'``).
        path: The file the table comes from, if any (put in front of the message).
        ignore: Keys that belong to the caller, not to the component (``kind``).
        what: What a key is called in messages (``key``, ``option``).
        defaults: Return every declared option with its default filled in (False: only
            the keys of ``table``, in its order).

    Raises:
        ConfigError: one line, for the first unknown key, missing required key, wrong
            type, non-finite number or refused value.
    """
    by_name = {o.name: o for o in declared}
    skip = set(ignore)
    for key in table:
        if key not in by_name and key not in skip:
            message = unknown_key_message(str(key), by_name, what=what)
            raise ConfigError(f"{where}: {message}", path=path)
    out: dict[str, Any] = {}
    for opt in declared if defaults else [by_name[k] for k in table if k in by_name]:
        if opt.name not in table:
            if opt.required:
                raise ConfigError(
                    f"{where}: {opt.name!r} is required ({opt.describe_type()}"
                    f"{': ' + opt.doc if opt.doc else ''})",
                    path=path,
                )
            out[opt.name] = opt.default
            continue
        try:
            out[opt.name] = check_value(opt, table[opt.name])
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}", path=path) from None
    return out


def given(values: Mapping[str, Any], table: Mapping[str, Any]) -> dict[str, Any]:
    """The validated ``values`` of the keys present in ``table`` (defaults left out)."""
    return {k: v for k, v in values.items() if k in table}


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 5 and 5.0 are one setting
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def identity_options(values: Mapping[str, Any], declared: Sequence[Option]) -> dict[str, Any]:
    """The options that can change an output and differ from their default, made plain."""
    out: dict[str, Any] = {}
    for opt in declared:
        if not opt.identity or opt.name not in values:
            continue
        value = values[opt.name]
        if value is None or _plain(value) == _plain(opt.default):
            continue
        out[opt.name] = _plain(value)
    return dict(sorted(out.items()))


def serialize(values: Mapping[str, Any], *, where: str) -> str:
    """Validated options as sorted, compact JSON: a key for instances built from them.

    Values keep their types (``1.0`` stays ``1.0``): the instance is built from this text.

    Raises:
        ConfigError: naming ``where`` when a value is not a plain JSON value (an option a
            plugin checks by its signature only).
    """
    try:
        return json.dumps(
            dict(values), sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: options {show(dict(values))} are not plain values") from exc


def canonical(values: Mapping[str, Any], declared: Sequence[Option]) -> str:
    """The canonical text of validated options, for cache keys (see the module docstring)."""
    return serialize(identity_options(values, declared), where="options")


def parse_text(opt: Option | None, text: str) -> Any:
    """A command-line string (``--scorer-option bleu.smooth_value=0.1``) as an option value.

    The text is read as a TOML value (``8``, ``true``, ``"a b"``, ``[1, 2]``) and kept as
    text when it is not one (``/models/comet``). A string option takes the text as written
    unless it is a quoted TOML string (``[1]`` stays ``"[1]"``, ``"floor"`` is ``floor``).
    The value is not checked: :func:`validate` does that with the rest of the table.
    """
    text = text.strip()
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    if opt is not None and opt.type is str and not isinstance(value, str):
        return text
    return value


def parse_assignment(text: str) -> tuple[str, str, str]:
    """``NAME.KEY=VALUE`` as ``(name, key, value text)``.

    Raises:
        ConfigError: naming ``text`` when it is not of that form.
    """
    name, sep, raw = text.partition("=")
    owner, dot, key = name.strip().partition(".")
    if not sep or not dot or not owner or not key.strip():
        raise ConfigError(f"scorer option {text!r} is not METRIC.KEY=VALUE (e.g. comet.model=DIR)")
    return owner, key.strip(), raw


#: Checks this module held before they got :mod:`evalkit.option_checks`.
_MOVED = ("positive", "non_negative", "non_empty", "one_of", "keys_in", "http_url", "all_of")


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        from evalkit import option_checks

        return getattr(option_checks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Options declared once, validated in one place: system kinds and scorers share this.

A component declares its options as a tuple of :class:`Option`; :func:`validate` checks a
table against the declaration and returns every option with its default filled in. Every
problem is one line naming where the table came from and the key at fault: an unknown key
(with the closest declared name), a missing required key, a wrong type, NaN or infinity
(anywhere, nested values included), or a value its ``check`` refuses.

:func:`canonical` serializes validated options for cache keys and run identities: the same
settings give the same text however they were written (``timeout = 5`` or ``5.0``, a
default given or left out), and options that cannot change an output (``identity=False``:
timeouts, retries, concurrency) are left out, so changing them keeps the cache.

Example::

    OPTIONS = (
        Option("timeout", float, 600.0, "seconds per batch", check=positive, identity=False),
        Option("command", list, doc="argv list", items=str, required=True, check=non_empty),
    )
    values = validate(table, OPTIONS, where="[systems.mine]", path=config_path)
"""

from __future__ import annotations

import builtins
import difflib
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evalkit.errors import ConfigError

#: A check returns None when the value is fine, else what is wrong ("must be positive").
Check = Callable[[Any], "str | None"]

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
        default: The value when the key is absent (None: unset).
        doc: One line for documentation and ``--help`` texts.
        check: Further constraint on a value of the right type (see the ``check``
            helpers of this module).
        required: Whether the key must be given.
        identity: Whether the option can change an output: only those go into
            :func:`canonical` (cache keys, run identities).
        items: For a list, the type of its elements; for a table, the type of its values.
    """

    name: str
    type: type | tuple[type, ...]
    default: Any = None
    doc: str = ""
    check: Check | None = None
    required: bool = False
    identity: bool = True
    items: builtins.type | tuple[builtins.type, ...] | None = None

    def describe_type(self) -> str:
        """``"an integer"``, ``"a string or a list"``: the accepted types, for messages."""
        types = self.type if isinstance(self.type, tuple) else (self.type,)
        names = [_TYPE_NAMES.get(t, t.__name__) for t in types]
        if self.items is not None and types == (list,):
            return f"a list of {_plural(self.items)}"
        if self.items is not None and types == (dict,):
            return f"a table of {_plural(self.items)}"
        return " or ".join(names)


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


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``name`` (a typo's correction), or None."""
    names = sorted(set(choices))
    match = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not match:  # a different case, or a missing underscore: "batchsize", "TIMEOUT"
        squeezed = {n.replace("_", "").replace("-", "").lower(): n for n in names}
        return squeezed.get(name.replace("_", "").replace("-", "").lower())
    return match[0]


def unknown_key_message(key: str, known: Iterable[str], *, what: str = "key") -> str:
    """``unknown key 'timout'; did you mean 'timeout'? (known: a, b)``."""
    names = sorted(set(known))
    close = closest(key, names)
    hint = f"; did you mean {close!r}?" if close else ""
    return f"unknown {what} {key!r}{hint} (known: {', '.join(names) if names else 'none'})"


def _show(value: Any) -> str:
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
        ValueError: saying what is wrong (the caller adds where).
    """
    if non_finite(value):
        raise ValueError(f"{opt.name} must be finite, got {_show(value)}")
    if has_nul(value):
        raise ValueError(f"{opt.name} must not contain a NUL character, got {_show(value)}")
    if not _is(value, opt.type):
        raise ValueError(f"{opt.name} must be {opt.describe_type()}, got {_show(value)}")
    if opt.items is not None and isinstance(value, (list, dict)):
        elements = value.values() if isinstance(value, dict) else value
        if not all(_is(v, opt.items) for v in elements):
            raise ValueError(f"{opt.name} must be {opt.describe_type()}, got {_show(value)}")
    types = opt.type if isinstance(opt.type, tuple) else (opt.type,)
    if (
        float in types
        and int not in types
        and isinstance(value, int)
        and not isinstance(value, bool)
    ):
        value = float(value)
    if opt.check is not None:
        problem = opt.check(value)
        if problem:
            raise ValueError(f"{opt.name} {problem}, got {_show(value)}")
    return value


def validate(
    table: Mapping[str, Any],
    declared: Sequence[Option],
    *,
    where: str,
    path: Any = None,
    ignore: Iterable[str] = (),
) -> dict[str, Any]:
    """Check ``table`` against ``declared``; return every declared option, defaults filled.

    Args:
        table: The options as given (a TOML table, keyword arguments).
        declared: The component's declaration.
        where: What the table is, for messages (``[systems.mine]``, ``scorer 'bleu'``).
        path: The file the table comes from, if any (put in front of the message).
        ignore: Keys that belong to the caller, not to the component (``kind``).

    Raises:
        ConfigError: one line, for the first unknown key, missing required key, wrong
            type, non-finite number or refused value.
    """
    by_name = {o.name: o for o in declared}
    skip = set(ignore)
    for key in table:
        if key not in by_name and key not in skip:
            raise ConfigError(f"{where}: {unknown_key_message(str(key), by_name)}", path=path)
    out: dict[str, Any] = {}
    for opt in declared:
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


def canonical(values: Mapping[str, Any], declared: Sequence[Option]) -> str:
    """The canonical text of validated options, for cache keys (see the module docstring)."""
    return json.dumps(
        identity_options(values, declared),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )


def parse_text(opt: Option, text: str) -> Any:
    """A command-line string (``--scorer-option bleu.smooth_value=0.1``) as a value of ``opt``.

    Strings stay strings; numbers, booleans, lists and tables are read as TOML values.

    Raises:
        ValueError: when ``text`` is not a value of the option's type.
    """
    types = opt.type if isinstance(opt.type, tuple) else (opt.type,)
    if types == (str,):
        return text
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        if str in types:
            return text
        raise ValueError(f"{opt.name} must be {opt.describe_type()}, got {_show(text)}") from None
    return check_value(opt, value)


# -- checks ------------------------------------------------------------------------------


def positive(value: Any) -> str | None:
    """Numbers > 0."""
    return None if value > 0 else "must be positive"


def non_negative(value: Any) -> str | None:
    """Numbers >= 0."""
    return None if value >= 0 else "must be >= 0"


def non_empty(value: Any) -> str | None:
    """Strings, lists and tables that are not empty (strings not only spaces)."""
    empty = not value.strip() if isinstance(value, str) else not value
    return "must not be empty" if empty else None


def one_of(*choices: Any) -> Check:
    """Exactly one of ``choices``."""

    def check(value: Any) -> str | None:
        if value in choices and type(value) in {type(c) for c in choices}:
            return None
        close = closest(str(value), [str(c) for c in choices])
        hint = f" (did you mean {close!r}?)" if close else ""
        return f"must be one of {', '.join(repr(c) for c in choices)}{hint}"

    return check


def keys_in(*allowed: str) -> Check:
    """A table whose keys are among ``allowed`` (a typo gets the closest name)."""

    def check(value: Any) -> str | None:
        for key in value:
            if key not in allowed:
                return f"has an {unknown_key_message(str(key), allowed)}"
        return None

    return check


def http_url(value: Any) -> str | None:
    """An ``http://`` or ``https://`` URL with a host and, if given, a port of 1-65535."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        return f"must be an http(s) URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http(s) URL like 'http://127.0.0.1:8000/v1'"
    if port == 0:
        return "must have a port of 1-65535"
    return None


def all_of(*checks: Check) -> Check:
    """Every one of ``checks``, first problem reported."""

    def check(value: Any) -> str | None:
        for c in checks:
            problem = c(value)
            if problem:
                return problem
        return None

    return check

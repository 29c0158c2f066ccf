"""Constraints an :class:`~evalkit.options.Option` can put on a value of the right type.

A check returns None when the value is fine, else what is wrong, worded to follow the
option's name: ``timeout must be positive, got 0.0``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from evalkit.didyoumean import closest, unknown_key_message

#: A check returns None when the value is fine, else what is wrong ("must be positive").
Check = Callable[[Any], "str | None"]


def positive(value: Any) -> str | None:
    """Numbers > 0."""
    return None if value > 0 else "must be positive"


def at_least(minimum: float) -> Check:
    """Numbers >= ``minimum``."""

    def check(value: Any) -> str | None:
        return None if value >= minimum else f"must be >= {minimum:g}"

    return check


#: Numbers >= 0.
non_negative = at_least(0)


def non_empty(value: Any) -> str | None:
    """Strings, lists and tables that are not empty (strings not only spaces)."""
    empty = not value.strip() if isinstance(value, str) else not value
    return "must not be empty" if empty else None


def one_of(*choices: Any) -> Check:
    """Exactly one of ``choices`` (an :class:`~evalkit.options.Option` says it better with
    ``choices=``, which also names the allowed values in ``describe``)."""

    def check(value: Any) -> str | None:
        if is_choice(value, choices):
            return None
        close = closest_choice(value, choices)
        hint = f" (did you mean {close!r}?)" if close else ""
        return f"must be one of {', '.join(repr(c) for c in choices)}{hint}"

    return check


def is_choice(value: Any, choices: Sequence[Any]) -> bool:
    """Whether ``value`` is one of ``choices``, type included (``True`` is not ``1``)."""
    return any(value == c and type(value) is type(c) for c in choices)


def closest_choice(value: Any, choices: Sequence[Any]) -> str | None:
    """The choice closest to a refused ``value``, as text, or None."""
    return closest(str(value), [str(c) for c in choices])


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

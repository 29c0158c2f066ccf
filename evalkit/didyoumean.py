"""The closest valid name to a mistyped one, and the one-line messages that offer it.

Every "did you mean" of evalkit comes from :func:`closest`: unknown commands, flags,
configuration keys and tables, option values, systems, scorers, tokenizers and metrics.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``name`` (a typo's correction), or None."""
    names = sorted(set(choices))
    match = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not match:  # a different case, or a missing underscore: "batchsize", "TIMEOUT"
        squeezed = {n.replace("_", "").replace("-", "").lower(): n for n in names}
        return squeezed.get(name.replace("_", "").replace("-", "").lower())
    return match[0]


def suggest(name: str, choices: Iterable[str]) -> str:
    """``known: a, b; did you mean 'a'?``: the choices and the closest to ``name``."""
    names = sorted(set(choices))
    close = closest(name, names)
    hint = f"; did you mean {close!r}?" if close else ""
    return f"known: {', '.join(names) if names else '(none)'}{hint}"


def unknown_key_message(key: str, known: Iterable[str], *, what: str = "key") -> str:
    """``unknown key 'timout'; did you mean 'timeout'? (known: a, b)``."""
    names = sorted(set(known))
    close = closest(key, names)
    hint = f"; did you mean {close!r}?" if close else ""
    return f"unknown {what} {key!r}{hint} (known: {', '.join(names) if names else 'none'})"

"""Keep secrets out of files and logs."""

from __future__ import annotations

import re
from typing import Any

_SECRET_KEY = re.compile(r"(key|token|secret|password|authorization)", re.IGNORECASE)
#: Keys that name where a secret lives, not the secret itself.
_POINTER_KEYS = {"api_key_env", "token_env"}


def redact(config: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``config`` with every secret-looking value replaced by ``"***"``."""
    out: dict[str, Any] = {}
    for k, v in config.items():
        if isinstance(v, dict):
            out[k] = redact(v)
        elif _SECRET_KEY.search(k) and k not in _POINTER_KEYS:
            out[k] = "***"
        else:
            out[k] = v
    return out


_SECRET_ENV = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)", re.IGNORECASE)


def secret_values(env: dict[str, str] | None = None) -> list[str]:
    """Values of environment variables whose names look secret (longest first)."""
    import os

    env = dict(os.environ) if env is None else env
    values = {v for k, v in env.items() if _SECRET_ENV.search(k) and len(v) >= 6}
    return sorted(values, key=len, reverse=True)


def scrub(text: str, extra: list[str] | None = None) -> str:
    """``text`` with every secret-looking environment value (and ``extra``) replaced by ``***``.

    Used on anything a system hands back that may end up in a message or a file
    (stderr tails, HTTP error bodies).
    """
    for value in [*(extra or []), *secret_values()]:
        if value:
            text = text.replace(value, "***")
    return text

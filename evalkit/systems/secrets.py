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

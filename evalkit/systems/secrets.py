"""Keep secrets out of files and logs.

Two complementary ways of finding a secret:

- by value: the values of environment variables whose names look secret (and values
  a caller knows, such as the API key in use) are replaced wherever they appear;
- by structure: what sits where credentials go is replaced whatever its value, namely
  the userinfo of a URL (``http://user:pass@host``), query parameters, argv options
  and configuration keys whose names look like credentials (``?api-key=``,
  ``--token=``, ``["--api-key", "..."]``, ``extra_body.api_key``), header values,
  ``Bearer``/``Basic`` credentials, and strings shaped like well-known key formats
  (``sk-...``, ``hf_...``, ``ghp_...``, JWTs...).

:func:`redact` applies the structural rules to a system's configuration (what run.json,
the reports and baselines record); :func:`scrub` applies both to free text (stderr
tails, HTTP error bodies, messages).
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

MASK = "***"

#: A name part that means "this holds a credential" when a part ends with it.
_SECRET_ENDINGS = (
    "key",
    "keys",
    "token",
    "secret",
    "secrets",
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "credential",
    "credentials",
    "auth",
    "authorization",
    "cookie",
    "bearer",
    "signature",
)
_SECRET_PARTS = {"sig", "session", "sessionid", "pass", "private"}
#: A last name part that makes the value point at a secret (``api_key_env``), not hold it.
_POINTER_PARTS = {"env", "file", "path"}
#: Header values safe to record; every other header value may carry a credential.
_SAFE_HEADERS = {"content-type", "accept", "accept-language", "accept-encoding", "user-agent"}
_HEADER_TABLES = {"headers", "http_headers", "default_headers", "extra_headers"}

#: Well-known credential formats (OpenAI, Anthropic, Hugging Face, GitHub, GitLab, Slack,
#: AWS, Google, Stripe-like, JWTs).
_SHAPES = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"sk-[A-Za-z0-9_-]{8,}|sk_[A-Za-z0-9_]{8,}|[pr]k_(?:live|test)_[A-Za-z0-9]{8,}"
    r"|hf_[A-Za-z0-9]{8,}|gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,}"
    r"|glpat-[A-Za-z0-9_-]{12,}|xox[abpors]-[A-Za-z0-9-]{8,}|AKIA[A-Z0-9]{12,}"
    r"|AIza[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"
    r")"
)
_AUTH_SCHEMES = re.compile(r"\b(Bearer|Basic|Token|Digest)(\s+)[^\s\"',;}\]]+", re.IGNORECASE)
_URLS = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>`]+")
#: ``name: value`` / ``name=value`` / ``"name": "value"`` pairs in free text.
_PAIRS = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)(?P<q>[\"']?)(?P<sep>\s*[:=]\s*)(?P<vq>[\"']?)"
    r"(?P<value>[^\s\"',;&}\]]+)"
)


def _parts(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [p for p in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if p]


def is_secret_name(name: str) -> bool:
    """Whether a key, option, header or parameter named ``name`` holds a credential.

    ``api_key``, ``apiKey``, ``--api-key``, ``X-Api-Key``, ``access_token``,
    ``HF_TOKEN``, ``password`` and ``sig`` do; ``max_tokens``, ``keywords``,
    ``author`` and pointers such as ``api_key_env`` do not.
    """
    parts = _parts(name)
    if not parts or parts[-1] in _POINTER_PARTS:
        return False
    return any(p in _SECRET_PARTS or p.endswith(_SECRET_ENDINGS) for p in parts)


def redact_url(url: str) -> str:
    """``url`` with its userinfo and credential-like query parameters masked."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
    except ValueError:
        return _SHAPES.sub(MASK, url)
    if "@" in netloc:
        netloc = MASK + "@" + netloc.rpartition("@")[2]
    query = "&".join(_redact_param(p) for p in parts.query.split("&")) if parts.query else ""
    fragment = _SHAPES.sub(MASK, parts.fragment)
    path = _SHAPES.sub(MASK, parts.path)
    return urlunsplit(SplitResult(parts.scheme, netloc, path, query, fragment))


def _redact_param(param: str) -> str:
    name, eq, value = param.partition("=")
    if eq and value and is_secret_name(name):
        return f"{name}={MASK}"
    return _SHAPES.sub(MASK, param)


def _redact_pair(match: re.Match[str]) -> str:
    if not is_secret_name(match["name"]) or match["value"] == MASK:
        return match[0]
    return f"{match['name']}{match['q']}{match['sep']}{match['vq']}{MASK}"


def redact_text(text: str) -> str:
    """Free ``text`` with structurally recognisable credentials masked.

    URLs get :func:`redact_url`; ``Bearer X`` becomes ``Bearer ***``; ``key=value``,
    ``key: value`` and ``"key": "value"`` pairs with a credential-like name, and
    strings shaped like known key formats, become ``***``.
    """
    text = _URLS.sub(lambda m: redact_url(m[0]), text)
    text = _AUTH_SCHEMES.sub(lambda m: f"{m[1]}{m[2]}{MASK}", text)
    text = _PAIRS.sub(_redact_pair, text)
    return _SHAPES.sub(MASK, text)


def redact_argv(argv: list[str]) -> list[str]:
    """A command line with the values of credential-like options masked.

    Handles ``--api-key VALUE``, ``--token=VALUE``, ``-p VALUE`` after a secret-named
    short option, URLs with credentials and values shaped like known key formats
    (``-k sk-...``).
    """
    out: list[str] = []
    secret_next = False
    for arg in argv:
        if secret_next and not arg.startswith("--"):
            out.append(MASK)
            secret_next = False
            continue
        secret_next = False
        if arg.startswith("-") and "=" in arg:
            name, _, value = arg.partition("=")
            out.append(f"{name}={MASK}" if is_secret_name(name) else redact_text(arg))
            continue
        if arg.startswith("-") and is_secret_name(arg):
            secret_next = True
        out.append(redact_text(arg))
    return out


def redact(config: Any) -> Any:
    """A copy of ``config`` with every secret masked as ``"***"``, by structure.

    Values under credential-like keys, header values (under ``headers`` tables), URL
    userinfo and query credentials, argv option values and key-shaped strings are
    masked, at any depth of tables and lists. Idempotent.
    """
    if isinstance(config, dict):
        out: dict[str, Any] = {}
        for k, v in config.items():
            key = str(k)
            if is_secret_name(key) and v not in (None, "", MASK) and not isinstance(v, bool):
                out[k] = MASK
            elif key.lower() in _HEADER_TABLES and isinstance(v, dict):
                out[k] = {
                    h: (redact(hv) if str(h).lower() in _SAFE_HEADERS else MASK)
                    for h, hv in v.items()
                }
            else:
                out[k] = redact(v)
        return out
    if isinstance(config, (list, tuple)):
        if all(isinstance(a, str) for a in config):
            return redact_argv(list(config))
        return [redact(v) for v in config]
    if isinstance(config, str):
        return redact_text(config)
    return config


_TOKENS = re.compile(r"[\s:@/?&=#,;\"'\[\]{}()]+")


def secrets_in(config: Any) -> list[str]:
    """The secret values :func:`redact` masks in ``config`` (to scrub them from text).

    A password from a URL, an argv option value or an ``extra_body`` key: whatever a
    system may later echo in an error is then recognised by value too.
    """
    found: set[str] = set()

    def walk(original: Any, masked: Any) -> None:
        if isinstance(original, dict) and isinstance(masked, dict):
            for k, v in original.items():
                walk(v, masked.get(k))
        elif isinstance(original, (list, tuple)) and isinstance(masked, list):
            for a, b in zip(original, masked, strict=False):
                walk(a, b)
        elif isinstance(original, str) and original != masked:
            kept = set(_TOKENS.split(str(masked)))
            found.update(t for t in _TOKENS.split(original) if len(t) >= 4 and t not in kept)
        elif original is not None and not isinstance(original, (str, bool)) and masked == MASK:
            found.add(str(original))

    walk(config, redact(config))
    return sorted(found, key=len, reverse=True)


_SECRET_ENV = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)", re.IGNORECASE)


def secret_values(env: dict[str, str] | None = None) -> list[str]:
    """Values of environment variables whose names look secret (longest first)."""
    env = dict(os.environ) if env is None else env
    values = {v for k, v in env.items() if _SECRET_ENV.search(k) and len(v) >= 6}
    return sorted(values, key=len, reverse=True)


def scrub(text: str, extra: list[str] | None = None) -> str:
    """``text`` with known secret values and structurally recognisable ones masked.

    Used on anything a system hands back that may end up in a message or a file
    (stderr tails, HTTP error bodies). Scrub the whole text, then cut it: a secret
    cut in half first would no longer be recognised.

    Args:
        text: The text.
        extra: Secret values known to the caller (an API key in use, a program's env).
    """
    for value in sorted({*(v for v in extra or [] if v), *secret_values()}, key=len, reverse=True):
        text = text.replace(value, MASK)
    return redact_text(text)

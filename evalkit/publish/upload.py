"""Upload a built folder to the Hugging Face Hub in one commit.

The token comes from an environment variable and goes only to ``HfApi(token=...)``:
it is never printed, written, or left in an error message (hub exception texts are
scrubbed before they become an :class:`~evalkit.errors.EvalkitError`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.errors import ConfigError, EvalkitError

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
#: Anything shaped like a Hub token is masked in error texts, whatever its source.
_TOKEN_SHAPE = re.compile(r"hf_[A-Za-z0-9]{8,}")
MASK = "***"


class UploadError(EvalkitError):
    """The upload did not happen (offline, refused, no token); the folder is kept."""


@dataclass(frozen=True)
class UploadResult:
    """Where the data went: the repository URL and the commit."""

    repo_url: str
    commit_url: str
    commit_oid: str


def validate_env_name(env_name: str) -> str:
    """Return ``env_name`` if it is an environment variable name, else raise ConfigError."""
    if not isinstance(env_name, str) or not _ENV_NAME.match(env_name):
        raise ConfigError(f"--token-env {env_name!r} is not an environment variable name")
    return env_name


def read_token(env_name: str) -> str:
    """The token in environment variable ``env_name``.

    Raises:
        ConfigError: if the name is not a variable name.
        UploadError: if the variable is unset or empty.
    """
    validate_env_name(env_name)
    token = os.environ.get(env_name, "").strip()
    if not token:
        raise UploadError(
            f"environment variable {env_name} is not set: put a Hub write token in it"
        )
    return token


def scrub(text: str, token: str) -> str:
    """``text`` on one line with ``token`` (and anything token-shaped) masked."""
    if token:
        text = text.replace(token, MASK)
    text = _TOKEN_SHAPE.sub(MASK, text)
    return " ".join(text.split())


def _default_api(token: str) -> Any:
    from huggingface_hub import HfApi

    return HfApi(token=token)


def _hub_errors() -> tuple[type[BaseException], ...]:
    try:
        from huggingface_hub import errors
    except ImportError:
        raise UploadError(
            "huggingface_hub is not installed: pip install 'evalkit[publish]'"
        ) from None

    # HfHubHTTPError and OfflineModeIsEnabled are OSErrors; connection failures are the
    # HTTP client's HTTPError; invalid ids and arguments are ValueErrors; the xet transfer
    # layer reports failures as RuntimeErrors.
    http_error = getattr(errors, "HTTPError", OSError)  # older hubs: requests' (an OSError)
    return (OSError, ValueError, RuntimeError, http_error)


def upload(
    folder: str | Path,
    *,
    repo_id: str,
    token: str,
    private: bool = False,
    commit_message: str,
    api_factory: Callable[[str], Any] | None = None,
) -> UploadResult:
    """Create the dataset repository if needed and upload ``folder`` in one commit.

    Files under ``data/`` in the repository that the folder no longer has (an old week)
    are deleted in that same commit.

    Args:
        folder: The built repository folder.
        repo_id: ``ORG/NAME``.
        token: A Hub token with write access.
        private: Create the repository private (an existing one keeps its visibility).
        commit_message: The commit's title.
        api_factory: Makes the API client from the token; default
            ``huggingface_hub.HfApi``. Tests pass a stand-in.

    Raises:
        UploadError: one line, token masked, when the Hub cannot be reached or refuses.
    """
    factory = api_factory or _default_api
    errors = _hub_errors()
    step = "connect"
    try:
        api = factory(token)
        step = "create the repository"
        repo_url = api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        step = "upload"
        info = api.upload_folder(
            repo_id=repo_id,
            repo_type="dataset",
            folder_path=str(folder),
            commit_message=commit_message,
            delete_patterns=["data/**"],
        )
    except errors as exc:
        message = scrub(f"{type(exc).__name__}: {exc}", token)
        # `from None`: the hub's exception (and its request headers) stays out of tracebacks.
        raise UploadError(f"could not {step} {repo_id}: {message}") from None
    return UploadResult(
        repo_url=str(getattr(repo_url, "url", repo_url)),
        commit_url=str(getattr(info, "commit_url", "")),
        commit_oid=str(getattr(info, "oid", "")),
    )

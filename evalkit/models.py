"""Find Hugging Face models on this machine only: a folder, or the local hub cache.

Nothing here touches the network. A model is given either as a folder holding
``config.json`` (and weights), or as a hub name (``xlm-roberta-large``,
``Unbabel/wmt22-comet-da``) that must already be in the local Hugging Face cache
(``HF_HOME`` / ``HF_HUB_CACHE``). Anything else is a one-line
:class:`~evalkit.errors.ConfigError` that names the model and how to provide it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.errors import ConfigError

#: Weight files whose head and tail go into a local model's fingerprint.
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".ckpt", ".pt", ".pth")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class LocalModel:
    """A model resolved to a folder on this machine.

    Attributes:
        spec: What the user gave (a path or a hub name).
        path: The folder holding the model files.
        name: A machine-independent name for signatures (hub name or folder name).
        revision: The hub commit of a cached snapshot, else a content fingerprint
            (``fp-`` + 12 hex digits of config and weight files).
    """

    spec: str
    path: Path
    name: str
    revision: str


def _looks_like_path(spec: str) -> bool:
    """Hub names are ``name`` or ``org/name``; anything else is meant as a folder."""
    return spec.startswith(("/", ".", "~")) or spec.count("/") > 1 or "\\" in spec


def how_to_provide(spec: str) -> str:
    """The fix for a missing model, in a few words (part of one-line errors)."""
    return (
        f"give a local folder (model=/path/to/folder) or put {spec!r} in the local "
        "Hugging Face cache first (e.g. `hf download "
        f"{spec}` on a machine with network access, then copy the cache folder); "
        "nothing is downloaded"
    )


def resolve_model(
    spec: str | os.PathLike[str], *, what: str, revision: str | None = None
) -> LocalModel:
    """Resolve ``spec`` to a local folder without any network access.

    Args:
        spec: A folder path or a hub name cached locally.
        what: What the model is for ("bertscore", "comet", "hf system 'x'"), for errors.
        revision: The hub revision (branch, tag or commit) of a cached name.

    Raises:
        ConfigError: one line naming the model and how to provide it.
    """
    text = str(spec).strip()
    if not text:
        raise ConfigError(f"{what}: no model given; {how_to_provide('MODEL')}")
    path = Path(text).expanduser()
    if path.is_dir():
        return LocalModel(
            spec=text,
            path=path.resolve(),
            name=path.resolve().name,
            revision=_snapshot_revision(path.resolve()) or fingerprint(path),
        )
    if path.exists():
        raise ConfigError(f"{what}: model path {text!r} is a file, not a model folder")
    if _looks_like_path(text):
        raise ConfigError(f"{what}: model folder {text!r} does not exist; {how_to_provide(text)}")
    folder = _from_hub_cache(text, revision)
    if folder is None:
        raise ConfigError(
            f"{what}: model {text!r} is not a folder and not in the local "
            f"Hugging Face cache; {how_to_provide(text)}"
        )
    return LocalModel(
        spec=text,
        path=folder,
        name=text,
        revision=_snapshot_revision(folder) or fingerprint(folder),
    )


def _from_hub_cache(repo_id: str, revision: str | None) -> Path | None:
    """The cached snapshot folder of ``repo_id``, or None; never downloads."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError:  # transformers always brings it; without it there is no cache
        return None
    try:
        folder = snapshot_download(repo_id=repo_id, revision=revision, local_files_only=True)
    except (OSError, ValueError):  # LocalEntryNotFoundError, HFValidationError: not cached
        return None
    return Path(folder)


def _snapshot_revision(folder: Path) -> str | None:
    """The commit hash of a hub-cache snapshot folder (``.../snapshots/<commit>``)."""
    if folder.parent.name == "snapshots" and len(folder.name) >= 7:
        return folder.name[:12]
    return None


def fingerprint(folder: Path) -> str:
    """A cheap content fingerprint of a model folder.

    Hashes every JSON/text config file whole and, for weight files, their size with
    the first and last MiB: it changes when the model does, without reading gigabytes.
    """
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = f.relative_to(folder).as_posix()
        if rel.startswith(".") or "/." in rel:
            continue
        h.update(rel.encode("utf-8") + b"\0")
        size = f.stat().st_size
        h.update(str(size).encode("ascii"))
        with f.open("rb") as fh:
            if f.suffix in _WEIGHT_SUFFIXES and size > 2 * _CHUNK:
                h.update(fh.read(_CHUNK))
                fh.seek(size - _CHUNK)
                h.update(fh.read(_CHUNK))
            else:
                h.update(fh.read())
    return "fp-" + h.hexdigest()[:12]


def pick_device(device: str | None, *, what: str) -> str:
    """``cpu``, ``cuda``, ``cuda:N`` or ``auto`` (CUDA when available) to a torch device name."""
    import torch

    choice = (device or "auto").strip().lower()
    if choice == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if choice == "cpu":
        return "cpu"
    if choice.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ConfigError(f"{what}: device {device!r} requested but CUDA is not available")
        return choice
    raise ConfigError(f"{what}: unknown device {device!r}; use cpu, cuda, cuda:N or auto")


def library_versions(*names: str) -> str:
    """``torch:2.13.0+cpu|transformers:5.1.0``: versions of installed packages, for signatures."""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in names:
        try:
            parts.append(f"{name}:{version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}:none")
    return "|".join(parts)


def require_torch(what: str) -> Any:
    """Import torch and transformers, or raise a one-line error naming the extra."""
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError as exc:
        extra = "hf" if what.startswith("hf") else "neural"
        raise ConfigError(
            f"{what} needs torch and transformers: pip install 'evalkit[{extra}]' ({exc})"
        ) from exc
    return torch

"""The Hub repository folder: parquet per config and split, and the dataset card.

Layout::

    README.md                                   dataset card (YAML ``configs:`` + prose)
    data/<config>/<split>-00000-of-00001.parquet

The build happens in memory first (:func:`build`), so ``evalkit dataset card`` prints
exactly the card that :func:`write` puts in the folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from evalkit.dataset import Paper
from evalkit.errors import ConfigError
from evalkit.io import atomic_write_bytes, confine, remove_tree
from evalkit.publish import parquet
from evalkit.publish import tables as T
from evalkit.publish.docs import MARKER  # re-exported: its first home

CARD_FILE = "README.md"
DATA_DIR = "data"

_NAME_PART = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?"
_REPO_ID = re.compile(rf"^{_NAME_PART}/{_NAME_PART}$")
_LICENSE = re.compile(r"^[a-z0-9][a-z0-9.+-]{0,63}$")


def validate_repo_id(repo_id: str) -> str:
    """Return ``repo_id`` if it is a valid Hub ``ORG/NAME``, else raise.

    Raises:
        ConfigError: naming the value and the rule it breaks.
    """
    if (
        not isinstance(repo_id, str)
        or not _REPO_ID.match(repo_id)
        or "--" in repo_id
        or ".." in repo_id
        or repo_id.endswith(".git")
    ):
        raise ConfigError(
            f"--repo-id {repo_id!r} is not a Hub repository id: use ORG/NAME with letters,"
            " digits, '-', '_', '.' (at most 96 each, no '--' or '..')"
        )
    return repo_id


def validate_license(license_id: str) -> str:
    """Return ``license_id`` if it looks like a Hub license identifier (``cc-by-4.0``)."""
    if not isinstance(license_id, str) or not _LICENSE.match(license_id):
        raise ConfigError(
            f"--license {license_id!r} is not a license identifier like cc-by-4.0, mit, other"
        )
    return license_id


def default_out(repo_id: str) -> Path:
    """The default output folder of a repository id: ``data/hub/ORG__NAME``."""
    return Path("data") / "hub" / validate_repo_id(repo_id).replace("/", "__")


def data_path(config: str, split: str) -> str:
    """The repository path of one parquet file."""
    return f"{DATA_DIR}/{config}/{split}-00000-of-00001.parquet"


@dataclass(frozen=True)
class SplitFile:
    """One parquet file: where it goes, its bytes, and the sizes the card declares."""

    config: str
    split: str
    path: str
    data: bytes
    num_examples: int
    num_bytes: int  # arrow size in memory, what ``datasets`` reports as num_bytes


@dataclass
class Build:
    """A built repository, in memory."""

    papers: list[Paper]
    tables: list[T.ConfigTable]
    files: list[SplitFile] = field(default_factory=list)
    card: str = ""

    def file_map(self) -> dict[str, bytes]:
        """Every file of the repository: relative path -> bytes."""
        out = {f.path: f.data for f in self.files}
        out[CARD_FILE] = self.card.encode("utf-8")
        return dict(sorted(out.items()))


def build(papers: list[Paper], *, repo_id: str, license_id: str = "unknown") -> Build:
    """Build every file of the repository in memory.

    Args:
        papers: The dataset.
        repo_id: ``ORG/NAME`` (used in the card's loading examples and citation).
        license_id: The Hub license identifier written in the card.

    Raises:
        ConfigError: for an invalid repository id or license.
        DataError: for an empty dataset or a malformed week label.
    """
    from evalkit.publish import card
    from evalkit.publish.features import features

    validate_repo_id(repo_id)
    validate_license(license_id)
    tables = T.build_tables(papers)
    result = Build(papers=papers, tables=tables)
    for table in tables:
        config_features = features(table.name)
        for split in table.splits:
            written = parquet.write(split.rows, config_features)
            result.files.append(
                SplitFile(
                    config=table.name,
                    split=split.name,
                    path=data_path(table.name, split.name),
                    data=written.data,
                    num_examples=written.num_examples,
                    num_bytes=written.num_bytes,
                )
            )
    result.card = card.render(result, repo_id=repo_id, license_id=license_id)
    return result


def _check_replaceable(out: Path) -> None:
    """Refuse to clear a folder that is not an earlier build (it may hold other work)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ConfigError(f"--out {out} exists and is not a folder")
    entries = {p.name for p in out.iterdir()}
    if not entries:
        return
    card_path = out / CARD_FILE
    ours = (
        entries <= {CARD_FILE, DATA_DIR}
        and card_path.is_file()
        and MARKER in card_path.read_text(encoding="utf-8", errors="replace")
    )
    if not ours:
        raise ConfigError(
            f"--out {out} is not empty and was not written by evalkit publish;"
            " choose an empty or new folder"
        )


def write(result: Build, out: str | Path) -> list[Path]:
    """Write the built repository to ``out``, replacing an earlier build there.

    Files of an earlier build that the new one does not have (a week no longer in the
    dataset) are removed, so the folder is exactly the repository.

    Returns:
        The files written, in path order.

    Raises:
        ConfigError: if ``out`` holds anything but an earlier build.
    """
    out = Path(out)
    _check_replaceable(out)
    written = []
    with confine(out):  # a link planted in the folder is refused, never followed
        remove_tree(out / DATA_DIR)
        for rel, data in result.file_map().items():
            atomic_write_bytes(out / rel, data)
            written.append(out / rel)
    return written

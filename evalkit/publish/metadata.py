"""The YAML metadata block of the dataset card.

``configs:`` is what lets ``datasets.load_dataset(folder, CONFIG)`` see several configs
and keep the per-week split names; ``dataset_info:`` declares features and row counts
(``datasets`` checks the counts when it loads, a free consistency check).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evalkit.publish import tables as T

if TYPE_CHECKING:
    from evalkit.publish.layout import Build

PRETTY_NAME = "ML paper digests: English, Korean and Japanese"
_SIZES = [
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
]


def size_category(n: int) -> str:
    """The Hub ``size_categories`` value of a dataset of ``n`` examples."""
    for limit, name in _SIZES:
        if n < limit:
            return name
    return "1M<n<10M"


def dataset_infos(result: Build) -> list[dict[str, Any]]:
    """The card's ``dataset_info`` list, written by ``datasets`` from a ``DatasetInfo``
    per config (features, splits with their sizes, download and dataset size).
    """
    import datasets
    from datasets.info import DatasetInfosDict

    from evalkit.publish.features import features

    infos = DatasetInfosDict()
    for table in result.tables:
        files = [f for f in result.files if f.config == table.name]
        splits = datasets.SplitDict()
        for f in files:
            splits.add(
                datasets.SplitInfo(name=f.split, num_bytes=f.num_bytes, num_examples=f.num_examples)
            )
        infos[table.name] = datasets.DatasetInfo(
            features=features(table.name),
            splits=splits,
            download_size=sum(len(f.data) for f in files),
            dataset_size=sum(f.num_bytes for f in files),
        )
    card: dict[str, Any] = {}
    infos.to_dataset_card_data(card)  # type: ignore[arg-type]
    listed = card["dataset_info"]
    return listed if isinstance(listed, list) else [listed]


def card_data(result: Build, *, license_id: str) -> dict[str, Any]:
    """The card metadata as a dict, in the order it is written."""
    configs = []
    for table in result.tables:
        files = [f for f in result.files if f.config == table.name]
        entry: dict[str, Any] = {"config_name": table.name}
        if table.name == T.DEFAULT_CONFIG:
            entry["default"] = True
        entry["data_files"] = [{"split": f.split, "path": f.path} for f in files]
        configs.append(entry)
    largest = max(t.num_rows for t in result.tables)
    # The notes' English commentary is written by the note's author: human, not machine.
    human = (
        ["expert-generated"] if any(t.name == T.COMMENTARY_CONFIG for t in result.tables) else []
    )
    return {
        "pretty_name": PRETTY_NAME,
        "language": ["en", "ko", "ja"],
        "license": license_id,
        "multilinguality": ["multilingual", "translation"],
        "size_categories": [size_category(largest)],
        "source_datasets": ["original"],
        "task_categories": ["translation", "summarization"],
        # English: found in the digests; Korean and Japanese: machine translations of it.
        "language_creators": ["found", "machine-generated", *human],
        "annotations_creators": ["machine-generated"],
        "tags": ["machine-translation", "summarization", "arxiv", "evalkit"],
        "configs": configs,
        "dataset_info": dataset_infos(result),
    }


def render_yaml(data: dict[str, Any]) -> str:
    """Deterministic YAML text of ``data`` (insertion order, Unicode kept)."""
    import yaml

    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )

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


def yaml_features(features: dict[str, Any]) -> list[dict[str, Any]]:
    """Features in the card's YAML form (what ``DatasetInfo._to_yaml_dict`` writes)."""
    return [_yaml_feature(name, feature) for name, feature in features.items()]


def _yaml_feature(name: str, feature: dict[str, Any]) -> dict[str, Any]:
    kind = feature.get("_type")
    if kind == "Value":
        return {"name": name, "dtype": feature["dtype"]}
    if kind == "List":
        inner = feature["feature"]
        if inner.get("_type") != "Value":
            raise ValueError(f"unsupported list feature {name!r}")
        return {"name": name, "list": inner["dtype"]}
    if kind == "Translation":
        return {"name": name, "dtype": {"translation": {"languages": list(feature["languages"])}}}
    if kind is None:
        return {"name": name, "struct": yaml_features(feature)}
    raise ValueError(f"unsupported feature type {kind!r}")


def card_data(result: Build, *, license_id: str) -> dict[str, Any]:
    """The card metadata as a dict, in the order it is written."""
    configs = []
    infos = []
    for table in result.tables:
        files = [f for f in result.files if f.config == table.name]
        entry: dict[str, Any] = {"config_name": table.name}
        if table.name == T.DEFAULT_CONFIG:
            entry["default"] = True
        entry["data_files"] = [{"split": f.split, "path": f.path} for f in files]
        configs.append(entry)
        infos.append(
            {
                "config_name": table.name,
                "features": yaml_features(table.features),
                "splits": [
                    {"name": f.split, "num_bytes": f.num_bytes, "num_examples": f.num_examples}
                    for f in files
                ],
                "download_size": sum(len(f.data) for f in files),
                "dataset_size": sum(f.num_bytes for f in files),
            }
        )
    largest = max(t.num_rows for t in result.tables)
    return {
        "pretty_name": PRETTY_NAME,
        "language": ["en", "ko", "ja"],
        "license": license_id,
        "multilinguality": ["multilingual", "translation"],
        "size_categories": [size_category(largest)],
        "source_datasets": ["original"],
        "task_categories": ["translation", "summarization"],
        # English: found in the digests; Korean and Japanese: machine translations of it.
        "language_creators": ["found", "machine-generated"],
        "annotations_creators": ["machine-generated"],
        "tags": ["machine-translation", "summarization", "arxiv", "evalkit"],
        "configs": configs,
        "dataset_info": infos,
    }


def render_yaml(data: dict[str, Any]) -> str:
    """Deterministic YAML text of ``data`` (insertion order, Unicode kept)."""
    import yaml

    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )

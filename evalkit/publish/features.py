"""The ``datasets.Features`` of each published config.

Built with ``datasets`` itself (``Value``, ``List``, ``Translation``), so the parquet
schema, the ``huggingface`` schema metadata and the card's ``dataset_info`` are what
``datasets`` writes and reads. ``datasets`` is imported only when a function here runs
(it costs about 0.8 s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evalkit import dataset
from evalkit.publish import tables as T

if TYPE_CHECKING:
    import datasets


def features(config: str) -> datasets.Features:
    """The features of ``config``; key order is the column order of its parquet files.

    Raises:
        ValueError: for a config name that is not in :data:`tables.CONFIGS`.
    """
    import datasets

    string = datasets.Value("string")
    strings = datasets.List(string)
    texts = {lang: string for lang in dataset.LANGS}
    if config == T.PAPERS_CONFIG:
        spec: dict[str, object] = {
            "id": string,
            "week": string,
            "week_start": string,
            "week_end": string,
            "arxiv_id": string,
            "title": texts,
            "summary": texts,
            "abstract": texts,
            "commentary": texts,
            "authors": strings,
            "tags": strings,
            "links": strings,
            "sources": strings,
            "flags": strings,
        }
    elif config in T.TRANSLATION_CONFIGS or config == T.COMMENTARY_CONFIG:
        spec = {
            "id": string,
            "paper_id": string,
            "week": string,
            "field": string,
            "translation": datasets.Translation(languages=T.config_languages(config)),
        }
    elif config == T.SUMMARIZATION_CONFIG:
        spec = {
            "id": string,
            "paper_id": string,
            "week": string,
            "src_lang": string,
            "tgt_lang": string,
            "abstract": string,
            "summary": string,
        }
    else:
        raise ValueError(f"unknown config {config!r}")
    return datasets.Features(spec)

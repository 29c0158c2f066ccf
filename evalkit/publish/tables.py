"""The published configs as plain rows: what goes in each config and split.

Pure Python on purpose (no pyarrow, no datasets): ``evalkit dataset stats`` and the
card use these rows too, so the counts printed are the rows written.

Configs:

* ``papers`` (default): one row per paper record, every field of ``papers.jsonl``;
* ``en-ko`` and ``en-ja``: one row per paper and field (title, summary, abstract)
  with a ``translation`` column (``datasets.Translation``);
* ``summarization``: abstract -> summary, one row per paper and language pair.

Each config has one split per ISO week (``2023-W41`` -> ``w2023_41``, because split
names must match ``^\\w+(\\.\\w+)*$``) and ``test`` with every week.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from evalkit import dataset
from evalkit.dataset import Example, Paper
from evalkit.errors import DataError
from evalkit.io import dumps

PAPERS_CONFIG = "papers"
TRANSLATION_CONFIGS = dataset.DEFAULT_TRANSLATION_PAIRS  # ("en-ko", "en-ja")
SUMMARIZATION_CONFIG = "summarization"
CONFIGS = (PAPERS_CONFIG, *TRANSLATION_CONFIGS, SUMMARIZATION_CONFIG)
DEFAULT_CONFIG = PAPERS_CONFIG
TEST_SPLIT = "test"

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")

_STRING: dict[str, Any] = {"dtype": "string", "_type": "Value"}
_TEXTS: dict[str, Any] = {lang: _STRING for lang in dataset.LANGS}
_STRINGS: dict[str, Any] = {"feature": _STRING, "_type": "List"}


def split_name(week: str) -> str:
    """The split name of an ISO week: ``2023-W41`` -> ``w2023_41``.

    Raises:
        DataError: if ``week`` is not an ISO week label.
    """
    m = _WEEK.match(week or "")
    if not m:
        raise DataError(f"week {week!r} is not an ISO week like 2023-W41")
    return f"w{m.group(1)}_{m.group(2)}"


def features(config: str) -> dict[str, Any]:
    """The ``datasets.Features`` of a config, in ``Features.to_dict()`` form.

    Key order is the column order of the parquet files.
    """
    if config == PAPERS_CONFIG:
        return {
            "id": _STRING,
            "week": _STRING,
            "week_start": _STRING,
            "week_end": _STRING,
            "arxiv_id": _STRING,
            "title": _TEXTS,
            "summary": _TEXTS,
            "abstract": _TEXTS,
            "commentary": _TEXTS,
            "authors": _STRINGS,
            "tags": _STRINGS,
            "links": _STRINGS,
            "sources": _STRINGS,
            "flags": _STRINGS,
        }
    if config in TRANSLATION_CONFIGS:
        return {
            "id": _STRING,
            "paper_id": _STRING,
            "week": _STRING,
            "field": _STRING,
            "translation": {"languages": config.split("-"), "_type": "Translation"},
        }
    if config == SUMMARIZATION_CONFIG:
        return {
            "id": _STRING,
            "paper_id": _STRING,
            "week": _STRING,
            "src_lang": _STRING,
            "tgt_lang": _STRING,
            "abstract": _STRING,
            "summary": _STRING,
        }
    raise ValueError(f"unknown config {config!r}")


def _paper_row(paper: Paper) -> dict[str, Any]:
    record = paper.to_dict()
    commentary = record["commentary"]
    return {
        "id": record["id"],
        "week": record["week"],
        "week_start": record["week_start"],
        "week_end": record["week_end"],
        "arxiv_id": record["arxiv_id"],
        "title": record["title"],
        "summary": record["summary"],
        "abstract": record["abstract"],
        "commentary": (
            {lang: commentary.get(lang) for lang in dataset.LANGS} if commentary else None
        ),
        "authors": [str(a) for a in record["authors"]],
        "tags": [str(t) for t in record["tags"]],
        "links": [str(u) for u in record["links"]],
        # Free-form objects: one JSON text each, keys sorted, so the schema is fixed.
        "sources": [dumps(s) for s in record["sources"]],
        "flags": [dumps(f) for f in record["flags"]],
    }


def _translation_row(ex: Example) -> dict[str, Any]:
    return {
        "id": ex.id,
        "paper_id": ex.paper_id,
        "week": ex.week,
        "field": ex.field,
        "translation": {ex.src_lang: ex.source, ex.tgt_lang: ex.reference},
    }


def _summarization_row(ex: Example) -> dict[str, Any]:
    return {
        "id": ex.id,
        "paper_id": ex.paper_id,
        "week": ex.week,
        "src_lang": ex.src_lang,
        "tgt_lang": ex.tgt_lang,
        "abstract": ex.source,
        "summary": ex.reference,
    }


def rows(papers: list[Paper], config: str) -> list[dict[str, Any]]:
    """Every row of ``config`` in a stable order (week, then paper id, then field/pair).

    Translation and summarization rows come from :func:`evalkit.dataset.build_examples`,
    the code path evaluation uses, so published examples are the evaluated ones.
    """
    if config == PAPERS_CONFIG:
        return [_paper_row(p) for p in sorted(papers, key=lambda p: (p.week, p.id))]
    if config in TRANSLATION_CONFIGS:
        examples = dataset.build_examples(papers, tasks=["translation"], pairs=[config])
        return [_translation_row(ex) for ex in examples]
    if config == SUMMARIZATION_CONFIG:
        examples = dataset.build_examples(papers, tasks=["summarization"])
        return [_summarization_row(ex) for ex in examples]
    raise ValueError(f"unknown config {config!r}")


@dataclass(frozen=True)
class Split:
    """One split of one config: its name, the week it holds (None for ``test``), its rows."""

    name: str
    week: str | None
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class ConfigTable:
    """One config: name, features and its non-empty splits (``test`` first, then weeks)."""

    name: str
    features: dict[str, Any]
    splits: list[Split]

    @property
    def num_rows(self) -> int:
        """Rows in ``test`` (every week)."""
        return len(self.splits[0].rows) if self.splits else 0


def weeks(papers: list[Paper]) -> list[str]:
    """The ISO weeks of the dataset, in order (validated as split names)."""
    found = sorted({p.week for p in papers})
    for week in found:
        split_name(week)
    return found


def build_tables(papers: list[Paper]) -> list[ConfigTable]:
    """Rows of every config, split by week; configs with no rows at all are left out.

    Raises:
        DataError: if the dataset has no papers or a week label is not an ISO week.
    """
    if not papers:
        raise DataError("the dataset has no papers: nothing to publish")
    all_weeks = weeks(papers)
    tables = []
    for config in CONFIGS:
        config_rows = rows(papers, config)
        if not config_rows:
            continue
        splits = [Split(TEST_SPLIT, None, config_rows)]
        for week in all_weeks:
            week_rows = [r for r in config_rows if r["week"] == week]
            if week_rows:
                splits.append(Split(split_name(week), week, week_rows))
        tables.append(ConfigTable(config, features(config), splits))
    return tables

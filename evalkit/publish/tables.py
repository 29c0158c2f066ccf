"""The published configs as plain rows: what goes in each config and split.

Pure Python on purpose (no pyarrow, no datasets): ``evalkit dataset stats`` and the
card use these rows too, so the counts printed are the rows written.

Configs:

* ``papers`` (default): one row per paper record, every field of ``papers.jsonl``;
* ``en-ko`` and ``en-ja``: one row per paper and field (title, summary, abstract)
  with a ``translation`` column (``datasets.Translation``);
* ``summarization``: abstract -> summary, one row per paper and language pair;
* ``commentary-ko-en``: the notes' human ko-en pairs, one row per paper whose
  ``commentary`` has both ``ko`` and ``en`` (the author's Korean commentary and their
  own English version of it), read from :attr:`Paper.commentary`.

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
from evalkit.paper import languages_of

PAPERS_CONFIG = "papers"
TRANSLATION_CONFIGS = dataset.DEFAULT_TRANSLATION_PAIRS  # ("en-ko", "en-ja")
SUMMARIZATION_CONFIG = "summarization"
COMMENTARY_CONFIG = "commentary-ko-en"
COMMENTARY_FIELD = "commentary"
#: The real direction of a commentary pair: written in Korean, then in English.
COMMENTARY_PAIR = ("ko", "en")
CONFIGS = (PAPERS_CONFIG, *TRANSLATION_CONFIGS, SUMMARIZATION_CONFIG, COMMENTARY_CONFIG)
PAPER_COLUMNS = (
    "id",
    "week",
    "week_start",
    "week_end",
    "arxiv_id",
    "title",
    "summary",
    "abstract",
    "commentary",
    "authors",
    "tags",
    "links",
    "sources",
    "flags",
)
DEFAULT_CONFIG = PAPERS_CONFIG
TEST_SPLIT = "test"

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def split_name(week: str) -> str:
    """The split name of an ISO week: ``2023-W41`` -> ``w2023_41``.

    Raises:
        DataError: if ``week`` is not an ISO week label.
    """
    m = _WEEK.match(week or "")
    if not m:
        raise DataError(f"week {week!r} is not an ISO week like 2023-W41")
    return f"w{m.group(1)}_{m.group(2)}"


def config_languages(config: str) -> list[str]:
    """The languages of a translation config, source first: ``commentary-ko-en`` -> ko, en."""
    if config == COMMENTARY_CONFIG:
        return list(COMMENTARY_PAIR)
    if config in TRANSLATION_CONFIGS:
        return list(languages_of(config))
    raise ValueError(f"{config!r} is not a translation config")


def columns(config: str) -> tuple[str, ...]:
    """The columns of ``config``, in parquet order (the features are in
    :mod:`evalkit.publish.features`)."""
    if config == PAPERS_CONFIG:
        return PAPER_COLUMNS
    if config in TRANSLATION_CONFIGS or config == COMMENTARY_CONFIG:
        return ("id", "paper_id", "week", "field", "translation")
    if config == SUMMARIZATION_CONFIG:
        return ("id", "paper_id", "week", "src_lang", "tgt_lang", "abstract", "summary")
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


def commentary_pair(paper: Paper) -> tuple[str, str] | None:
    """``(ko, en)`` of a paper whose commentary has both texts (non-blank), else None."""
    commentary = paper.commentary or {}
    ko, en = commentary.get("ko"), commentary.get("en")
    if isinstance(ko, str) and isinstance(en, str) and ko.strip() and en.strip():
        return ko, en
    return None


def _commentary_rows(papers: list[Paper]) -> list[dict[str, Any]]:
    src, tgt = COMMENTARY_PAIR
    out = []
    for paper in sorted(papers, key=lambda p: (p.week, p.id)):
        pair = commentary_pair(paper)
        if pair is not None:
            out.append(
                {
                    "id": f"{paper.id}/{COMMENTARY_FIELD}/{src}-{tgt}",
                    "paper_id": paper.id,
                    "week": paper.week,
                    "field": COMMENTARY_FIELD,
                    "translation": {src: pair[0], tgt: pair[1]},
                }
            )
    return out


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
        # the text fields only: the commentary pairs have a config of their own
        examples = dataset.build_examples(
            papers, tasks=["translation"], pairs=[config], fields=list(dataset.TEXT_FIELDS)
        )
        return [_translation_row(ex) for ex in examples]
    if config == SUMMARIZATION_CONFIG:
        examples = dataset.build_examples(papers, tasks=["summarization"])
        return [_summarization_row(ex) for ex in examples]
    if config == COMMENTARY_CONFIG:
        return _commentary_rows(papers)
    raise ValueError(f"unknown config {config!r}")


@dataclass(frozen=True)
class Split:
    """One split of one config: its name, the week it holds (None for ``test``), its rows."""

    name: str
    week: str | None
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class ConfigTable:
    """One config: name and its non-empty splits (``test`` first, then weeks)."""

    name: str
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
        tables.append(ConfigTable(config, splits))
    return tables

"""Counts per week, config and language pair: the table of ``evalkit dataset stats``.

Counted from the published rows (:mod:`evalkit.publish.tables`), so the numbers in the
card and on the terminal are the rows in the parquet files.
"""

from __future__ import annotations

from typing import Any

from evalkit import __version__, dataset
from evalkit.dataset import Paper
from evalkit.io import SCHEMA_VERSION
from evalkit.paper import pair_of
from evalkit.publish import tables as T


def _empty_counts() -> dict[str, Any]:
    return {
        "papers": 0,
        "translation": {
            pair: {**{f: 0 for f in dataset.TEXT_FIELDS}, "total": 0}
            for pair in T.TRANSLATION_CONFIGS
        },
        "summarization": {
            **{pair: 0 for pair in dataset.SUMMARIZATION_PAIRS},
            "total": 0,
        },
        # Human pairs: the notes' Korean commentary and the author's English version.
        "commentary": {"-".join(T.COMMENTARY_PAIR): 0},
    }


def _add(counts: dict[str, Any], config: str, row: dict[str, Any]) -> None:
    if config == T.PAPERS_CONFIG:
        counts["papers"] += 1
    elif config in T.TRANSLATION_CONFIGS:
        counts["translation"][config][row["field"]] += 1
        counts["translation"][config]["total"] += 1
    elif config == T.COMMENTARY_CONFIG:
        counts["commentary"]["-".join(T.COMMENTARY_PAIR)] += 1
    else:
        counts["summarization"][pair_of(row["src_lang"], row["tgt_lang"])] += 1
        counts["summarization"]["total"] += 1


def compute(papers: list[Paper], tables: list[T.ConfigTable] | None = None) -> dict[str, Any]:
    """Counts of the dataset as a JSON-ready object (``schema_version`` included).

    Args:
        papers: The dataset.
        tables: Its tables, if already built (they are built otherwise).

    Returns:
        ``{"schema_version", "evalkit_version", "fingerprint", "weeks": [...], "total",
        "configs"}``; each entry of ``weeks`` (and ``total``, whose split is ``test``) has
        ``week``, ``split``, ``week_start``, ``week_end``, ``papers``,
        ``translation[pair][field|total]``, ``summarization[pair|total]`` and
        ``commentary["ko-en"]`` (the notes' human commentary pairs);
        ``configs[config][split]`` is the number of rows of that parquet file.
    """
    if tables is None:
        tables = T.build_tables(papers)
    week_list = T.weeks(papers)
    by_week: dict[str, dict[str, Any]] = {}
    for week in week_list:
        members = [p for p in papers if p.week == week]
        by_week[week] = {
            "week": week,
            "split": T.split_name(week),
            "week_start": min(p.week_start for p in members),
            "week_end": max(p.week_end for p in members),
            **_empty_counts(),
        }
    total = {
        "week": None,
        "split": T.TEST_SPLIT,
        "week_start": min(p.week_start for p in papers),
        "week_end": max(p.week_end for p in papers),
        **_empty_counts(),
    }
    for table in tables:
        for row in table.splits[0].rows:
            _add(by_week[row["week"]], table.name, row)
            _add(total, table.name, row)
    return {
        "schema_version": SCHEMA_VERSION,
        "evalkit_version": __version__,
        "fingerprint": dataset.fingerprint(papers),
        "weeks": [by_week[w] for w in week_list],
        "total": total,
        "configs": {t.name: {s.name: len(s.rows) for s in t.splits} for t in tables},
    }


def _slashed(values: list[int]) -> str:
    return " / ".join(str(v) for v in values)


def markdown_table(counts: dict[str, Any]) -> str:
    """The counts as a Markdown table: one row per week split plus ``test``.

    Translation cells read ``title / summary / abstract``; the summarization cell reads
    the pairs in the order of its header; the last column counts the human ko-en
    commentary pairs of the notes.
    """
    commentary = "-".join(T.COMMENTARY_PAIR)
    pairs = list(dataset.SUMMARIZATION_PAIRS)
    fields = " / ".join(dataset.TEXT_FIELDS)
    header = ["split", "week", "dates", "papers"]
    header += [f"{pair} ({fields})" for pair in T.TRANSLATION_CONFIGS]
    header += [f"summarization ({' / '.join(pairs)})", f"commentary {commentary} (human)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for entry in [*counts["weeks"], counts["total"]]:
        cells = [
            f"`{entry['split']}`",
            entry["week"] or "all",
            f"{entry['week_start']} .. {entry['week_end']}",
            str(entry["papers"]),
        ]
        for pair in T.TRANSLATION_CONFIGS:
            counts = entry["translation"][pair]
            cells.append(_slashed([counts[f] for f in dataset.TEXT_FIELDS]))
        cells.append(_slashed([entry["summarization"][p] for p in pairs]))
        cells.append(str(entry["commentary"][commentary]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def config_table(counts: dict[str, Any]) -> str:
    """Rows per config and split as a Markdown table (configs as columns, ``-``: no split)."""
    configs = list(counts["configs"])
    splits = [T.TEST_SPLIT] + [w["split"] for w in counts["weeks"]]
    lines = [
        "| split | " + " | ".join(f"`{c}`" for c in configs) + " |",
        "|---|" + "|".join("---" for _ in configs) + "|",
    ]
    for split in splits:
        cells = [str(counts["configs"][c].get(split, "-")) for c in configs]
        lines.append(f"| `{split}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"

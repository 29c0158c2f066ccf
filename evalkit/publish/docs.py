"""The fixed prose of the dataset card: what each config, field and source format is.

Kept apart from :mod:`evalkit.publish.card`, which assembles the card from the data.
"""

from __future__ import annotations

from evalkit.publish import tables as T

FIELD_DOCS: dict[str, list[tuple[str, str, str]]] = {
    T.PAPERS_CONFIG: [
        (
            "id",
            "string",
            "ISO week + slug of the English title, e.g. `2023-W41-ring-attention-...`",
        ),
        ("week", "string", "ISO week of the digest, e.g. `2023-W41`"),
        ("week_start, week_end", "string", "first and last day of that week (`YYYY-MM-DD`)"),
        ("arxiv_id", "string", "arXiv identifier where a link gives it, else null"),
        (
            "title, summary, abstract",
            "struct {en, ko, ja}",
            "the texts, null where absent; paragraphs joined by `\\n`",
        ),
        (
            "commentary",
            "struct {en, ko, ja}",
            "a reader's notes (notes format): Korean, and the author's own English version"
            " where the note has one; else null",
        ),
        ("authors, tags, links", "list of string", "as listed in the digest (tags without `#`)"),
        ("sources", "list of string", "one JSON object per digest part: file, format, line"),
        ("flags", "list of string", "one JSON object per repair or doubt of the extractor"),
    ],
    "translation": [
        ("id", "string", "`<paper id>/<field>/<src>-<tgt>`, the evalkit example id"),
        ("paper_id", "string", "`id` of the paper in the `papers` config"),
        ("week", "string", "ISO week, e.g. `2023-W41`"),
        ("field", "string", "`title`, `summary` or `abstract`"),
        ("translation", "Translation", "`{src: text, tgt: text}`; the target is the reference"),
    ],
    T.COMMENTARY_CONFIG: [
        ("id", "string", "`<paper id>/commentary/ko-en`, the evalkit example id"),
        ("paper_id", "string", "`id` of the paper in the `papers` config"),
        ("week", "string", "ISO week of the note, e.g. `2024-W02`"),
        ("field", "string", "`commentary`"),
        (
            "translation",
            "Translation",
            "`{ko: text, en: text}`: the Korean commentary and its author's English version",
        ),
    ],
    T.SUMMARIZATION_CONFIG: [
        ("id", "string", "`<paper id>/summarize/<src>-<tgt>`, the evalkit example id"),
        ("paper_id", "string", "`id` of the paper in the `papers` config"),
        ("week", "string", "ISO week, e.g. `2023-W41`"),
        ("src_lang, tgt_lang", "string", "language of the abstract and of the summary"),
        ("abstract", "string", "the paper's abstract (the input)"),
        ("summary", "string", "the digest's summary of the paper (the reference)"),
    ],
}

PYTORCHKR = {"pytorchkr-ko": "Korean", "pytorchkr-ja": "Japanese"}

CONFIG_DOCS = {
    T.PAPERS_CONFIG: "one row per paper and week with every field of the aligned record",
    "en-ko": "English -> Korean translation: one row per paper and field"
    " (title, summary, abstract)",
    "en-ja": "English -> Japanese translation: one row per paper and field",
    T.SUMMARIZATION_CONFIG: "abstract -> summary, one row per paper and language pair"
    " (en-en, ko-ko, ja-ja, en-ko, en-ja)",
    T.COMMENTARY_CONFIG: "Korean -> English, human-translated: one row per note whose Korean"
    " commentary has the author's own English version",
}


def field_table(rows: list[tuple[str, str, str]]) -> str:
    lines = ["| field | type | meaning |", "|---|---|---|"]
    lines += [f"| `{n}` | {t} | {m} |" for n, t, m in rows]
    return "\n".join(lines) + "\n"


def origin(formats: list[str]) -> list[str]:
    """One paragraph per source format present, from what the format is known to hold."""
    out = []
    pytorchkr = [f for f in PYTORCHKR if f in formats]
    if pytorchkr:
        editions = " and ".join(PYTORCHKR[f] for f in pytorchkr)
        out.append(
            f"The PyTorchKR community's weekly posts ({editions}) republish DAIR.AI's English"
            ' "Top ML Papers of the Week": for each paper the English title, summary and'
            " abstract, each beside its machine translation."
        )
    if "paper-notes" in formats:
        out.append(
            "The paper notes are one reader's notes on arXiv papers: English title, authors,"
            " tags and Korean commentary; since 2024 often the English abstract and the"
            " author's own English version of the commentary."
        )
    if "arxiv-metadata" in formats:
        out.append(
            "Some English titles and abstracts were filled in from an arXiv metadata snapshot"
            " (see `sources`)."
        )
    other = [f for f in formats if f not in (*PYTORCHKR, "paper-notes", "arxiv-metadata")]
    if other:
        out.append("Other sources: " + ", ".join(f"`{f}`" for f in other) + ".")
    return out


#: First line of the card body; marks a folder as one ``evalkit publish`` may overwrite.
MARKER = (
    "<!-- This dataset card is generated by `evalkit publish`; edit the data, not this file. -->"
)

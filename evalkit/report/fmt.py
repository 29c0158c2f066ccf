"""Formatting shared by the Markdown and HTML writers: numbers, names, Markdown escaping."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

METRIC_LABELS = {
    "bleu": "BLEU",
    "chrf": "chrF",
    "chrf++": "chrF++",
    "ter": "TER",
    "rouge1": "ROUGE-1",
    "rouge2": "ROUGE-2",
    "rougeL": "ROUGE-L",
    "rougeLsum": "ROUGE-Lsum",
    "length_ratio": "length ratio",
    "target_script": "target script",
    "bertscore": "BERTScore",
    "comet": "COMET",
}

#: Sentence-level metrics that rank single segments best, in order of preference.
SEGMENT_METRIC_PREFERENCE = (
    "comet",
    "chrf++",
    "chrf",
    "bertscore",
    "rougeL",
    "rougeLsum",
    "rouge1",
    "rouge2",
    "bleu",
    "ter",
)


def metric_label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric)


def higher_is_better(metric: str) -> bool:
    """Whether a higher ``metric`` is better (TER: no); unknown metrics count as higher-better."""
    from evalkit.errors import EvalkitError
    from evalkit.scorers import SCORERS

    try:
        return bool(SCORERS.get(metric).higher_is_better)
    except EvalkitError:
        return True


def digits_by_metric(scores: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Decimals to show per metric: 4 for metrics on a 0-1 scale (ROUGE), else 2 (BLEU)."""
    top: dict[str, float] = {}
    for s in scores:
        values = [s.get("score")] + list(s.get("ci95") or [])
        for v in values:
            if isinstance(v, (int, float)):
                top[s["metric"]] = max(top.get(s["metric"], 0.0), abs(float(v)))
    return {m: (4 if v <= 1.0 else 2) for m, v in top.items()}


def num(value: float | None, digits: int) -> str:
    """A score with ``digits`` decimals; an en dash for a missing value."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def signed(value: float | None, digits: int) -> str:
    """A difference with its sign (``+0.00`` for none)."""
    if value is None:
        return "–"
    text = f"{value:+.{digits}f}"
    return "+" + text[1:] if text.startswith("-") and float(text) == 0 else text


def ci_text(ci: Any, digits: int) -> str:
    """``[lo, hi]``, or empty when there is no interval."""
    if not ci:
        return ""
    return f"[{num(ci[0], digits)}, {num(ci[1], digits)}]"


def slice_label(task: str, pair: str, field: str) -> str:
    """``en-ko title``; summarization reads ``en-ko summarize``."""
    return (
        f"{pair} {field}" if task in ("translation", "summarization") else f"{task} {pair} {field}"
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~$])")
_MD_LEADING = re.compile(r"^(\s*)([-+]|\d+(?=[.)]))")


def md_text(text: Any, *, limit: int | None = None) -> str:
    """Untrusted text as inert Markdown for a table cell or list item.

    HTML is escaped (``<script>`` shows as text on GitHub), Markdown syntax is
    backslash-escaped, newlines become ``<br>`` and long text is cut at ``limit``.
    """
    s = str(text if text is not None else "").replace("\r\n", "\n").replace("\r", "\n")
    if limit is not None and len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    s = html.escape(s, quote=False)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    s = _MD_LEADING.sub(
        lambda m: m.group(1) + "\\" + m.group(2) if m.group(2) in "+-" else m.group(0) + "\\", s
    )
    return s.replace("\n", "<br>")


def md_table(
    header: list[str], rows: Iterable[list[str]], *, align: list[str] | None = None
) -> str:
    """A GitHub table. Cells must already be escaped (see :func:`md_text`)."""
    align = align or ["l"] * len(header)
    marks = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(marks[a] for a in align) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def md_code(text: Any, *, in_table: bool = False) -> str:
    """Inline code that cannot be broken out of (backticks are replaced).

    In a table cell ``|`` must be written ``\\|`` even inside code (GitHub tables).
    """
    s = str(text).replace("`", "ˋ").replace("\n", " ")
    if in_table:
        s = s.replace("|", "\\|")
    return f"`{s}`" if s else ""


def md_text_pre(text: str) -> str:
    """Text for a ``<pre>`` HTML block in Markdown (raw until ``</pre>``): HTML-escaped only."""
    return html.escape(text, quote=False)

"""Formatting shared by the Markdown and HTML writers: numbers, names, Markdown escaping."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any


def metric_label(metric: str) -> str:
    """The label the metric's scorer declares (``BLEU``); the name for unknown metrics."""
    from evalkit.scorers.facts import metric_facts

    return metric_facts(metric).label


def metric_digits(metric: str) -> int:
    """Decimals the metric's scorer declares (0-100 scales: 2; 0-1 scales: 4)."""
    from evalkit.scorers.facts import metric_facts

    return metric_facts(metric).digits


def better_text(metric: str) -> str:
    """Which way is better, for table headers: ``higher``, ``lower``, ``closer to 1``."""
    from evalkit.scorers.facts import metric_facts

    return metric_facts(metric).better


def column_digits(metrics: Iterable[str]) -> int:
    """One precision for a column holding several metrics: the most any of them needs."""
    return max((metric_digits(m) for m in metrics), default=2)


def higher_is_better(metric: str) -> bool:
    """Deprecated: read :func:`evalkit.scorers.facts.metric_facts` (``.direction``)."""
    from evalkit.scorers.facts import metric_facts

    return metric_facts(metric).higher_is_better


def digits_by_metric(scores: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Deprecated: decimals per metric of run.json ``scores`` objects (JSON, as 0.1.0 read
    them), as their scorers declare them; read :func:`metric_digits`."""
    return {str(s["metric"]): metric_digits(str(s["metric"])) for s in scores if "metric" in s}


def __getattr__(name: str) -> Any:
    # Deprecated tables of 0.1.0, now derived from the facts declared on the scorers.
    from evalkit.scorers import SCORERS
    from evalkit.scorers.facts import metric_facts

    if name == "METRIC_LABELS":
        return {m: metric_facts(m).label for m in SCORERS.names()}
    if name == "SEGMENT_METRIC_PREFERENCE":
        ranked = [(metric_facts(m).segment_rank, m) for m in SCORERS.names()]
        return tuple(m for rank, m in sorted((r, m) for r, m in ranked if r is not None))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: CSI / OSC / other escape sequences and C0/C1 control characters but tab and newline.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clear screen
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window title, hyperlinks
    r"|\x1b[@-_]?"  # other two-byte escapes
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def terminal_text(text: Any) -> str:
    """Untrusted text safe to print on a terminal: escape and control sequences removed."""
    return _CONTROL.sub("", str(text))


def xml_text(text: Any) -> str:
    """Text XML 1.0 can hold: control characters removed (escaping is the writer's)."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]", "", terminal_text(text))


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

"""Judged error spans in reports: highlighted translations and counts per week.

The judge's text (categories, quotes) is untrusted: every piece is escaped for the
medium it goes to, and offsets are checked against the text before they are used.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from evalkit.judges.spans import ErrorSpan

SEVERITY_ORDER = ("critical", "major", "minor")


def _valid(spans: Iterable[ErrorSpan], length: int) -> list[tuple[int, int, ErrorSpan]]:
    """``(start, end, span)`` of the spans with offsets inside the text, sorted, overlaps
    dropped (first one wins)."""
    located = [
        (s.start, s.end, s)
        for s in spans
        if s.start is not None and s.end is not None and 0 <= s.start < s.end <= length
    ]
    located.sort(key=lambda t: (t[0], -t[1]))
    out: list[tuple[int, int, ErrorSpan]] = []
    for t in located:
        if not out or t[0] >= out[-1][1]:
            out.append(t)
    return out


def highlight_html(text: str, spans: Sequence[ErrorSpan]) -> str:
    """``text`` escaped, each located span in a ``<mark>`` with its severity and category."""
    parts, at = [], 0
    for start, end, s in _valid(spans, len(text)):
        sev_class = s.severity if s.severity in SEVERITY_ORDER else "other"
        title = f"{s.severity}: {s.category}"
        parts.append(html.escape(text[at:start]))
        parts.append(
            f'<mark class="err err-{sev_class}" title="{html.escape(title, quote=True)}">'
            f"{html.escape(text[start:end])}</mark>"
        )
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def span_list_markdown(spans: Sequence[ErrorSpan], escape: Callable[[str], str]) -> str:
    """One line per span for Markdown: ``major accuracy/omission: "quote"``, escaped."""
    items = []
    for s in spans:
        where = f' "{s.text}"' if s.text else ""
        if s.start is None and where:
            where += " (not found in the output)"
        items.append(escape(f"{s.severity} {s.category}:{where}"))
    return "; ".join(items)


def error_counts(
    segments: Iterable[tuple[str, Sequence[ErrorSpan]]],
) -> dict[str, Counter[tuple[str, str]]]:
    """Per week, how many spans of each (severity, category), from ``(week, spans)`` pairs."""
    out: dict[str, Counter[tuple[str, str]]] = {}
    for week, spans in segments:
        counter = out.setdefault(week, Counter())
        for s in spans:
            category = s.category.split("/")[0] or "other"
            counter[(s.severity, category)] += 1
    return out

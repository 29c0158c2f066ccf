"""Judged error spans in reports: highlighted translations and counts per week.

The judge's text (categories, quotes) is untrusted: every piece is escaped for the
medium it goes to, and offsets are checked against the text before they are used.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SEVERITY_ORDER = ("critical", "major", "minor")


def _valid(spans: Iterable[Mapping[str, Any]], length: int) -> list[Mapping[str, Any]]:
    """Spans with offsets inside the text, sorted, overlaps dropped (first one wins)."""
    located = []
    for s in spans:
        start, end = s.get("start"), s.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
            located.append(s)
    located.sort(key=lambda s: (s["start"], -s["end"]))
    out: list[Mapping[str, Any]] = []
    for s in located:
        if not out or s["start"] >= out[-1]["end"]:
            out.append(s)
    return out


def highlight_html(text: str, spans: Sequence[Mapping[str, Any]]) -> str:
    """``text`` escaped, each located span in a ``<mark>`` with its severity and category."""
    parts, at = [], 0
    for s in _valid(spans, len(text)):
        severity = str(s.get("severity", ""))
        sev_class = severity if severity in SEVERITY_ORDER else "other"
        title = f"{severity}: {s.get('category', '')}"
        parts.append(html.escape(text[at : s["start"]]))
        parts.append(
            f'<mark class="err err-{sev_class}" title="{html.escape(title, quote=True)}">'
            f"{html.escape(text[s['start'] : s['end']])}</mark>"
        )
        at = s["end"]
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def span_list_markdown(spans: Sequence[Mapping[str, Any]], escape: Any) -> str:
    """One line per span for Markdown: ``major accuracy/omission: "quote"``, escaped."""
    items = []
    for s in spans:
        quote = s.get("text")
        where = f' "{quote}"' if isinstance(quote, str) and quote else ""
        if not isinstance(s.get("start"), int) and where:
            where += " (not found in the output)"
        items.append(escape(f"{s.get('severity', '?')} {s.get('category', '?')}:{where}"))
    return "; ".join(items)


def error_counts(
    segments: Iterable[tuple[str, Sequence[Mapping[str, Any]]]],
) -> dict[str, Counter[tuple[str, str]]]:
    """Per week, how many spans of each (severity, category), from ``(week, spans)`` pairs."""
    out: dict[str, Counter[tuple[str, str]]] = {}
    for week, spans in segments:
        counter = out.setdefault(week, Counter())
        for s in spans:
            category = str(s.get("category", "other")).split("/")[0] or "other"
            counter[(str(s.get("severity", "?")), category)] += 1
    return out

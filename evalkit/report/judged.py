"""What judges found, in the run reports: error spans, counts per week, tokens and cost.

Shared by the Markdown and HTML writers; the judge's text is untrusted and every piece
of it is escaped for the medium (see :mod:`evalkit.report.spans`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from evalkit.judges.judgment import Judgment
from evalkit.records import RunRecord, Segment
from evalkit.report import fmt
from evalkit.report.htmlkit import Markup, el, join, table
from evalkit.report.model import RunView
from evalkit.report.spans import SEVERITY_ORDER, error_counts, highlight_html, span_list_markdown


def judgments(seg: Segment) -> list[tuple[str, Judgment]]:
    """``(metric, judgment)`` of every judge that looked at ``seg``, by metric."""
    return sorted(seg.judgments.items(), key=lambda kv: kv[0])


def week_counts(view: RunView, week: str) -> Counter[tuple[str, str]]:
    """Error spans of ``week`` (or every week for ``all``) by (severity, category)."""
    pairs = [
        (seg.week, j.spans)
        for seg in view.run.segments
        if week in ("all", seg.week)
        for _, j in judgments(seg)
    ]
    total: Counter[tuple[str, str]] = Counter()
    for counter in error_counts(pairs).values():
        total.update(counter)
    return total


def _rows(counts: Counter[tuple[str, str]]) -> list[tuple[str, str, int]]:
    order = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    return sorted(
        ((sev, cat, n) for (sev, cat), n in counts.items()),
        key=lambda r: (order.get(r[0], 9), -r[2], r[1]),
    )


def unjudged(view: RunView, week: str) -> int:
    """Segments of ``week`` a judge could not judge (flagged, never scored)."""
    return sum(
        1
        for seg in view.run.segments
        if week in ("all", seg.week)
        for f in seg.flags
        if f.startswith(("judge_unparsed:", "judge_failed:"))
    )


def markdown_errors(view: RunView, week: str) -> list[str]:
    """The judged-errors table of a week for report.md (nothing without judges)."""
    counts = week_counts(view, week)
    missing = unjudged(view, week)
    if not counts and not missing:
        return []
    out = ["### Judged errors", ""]
    if counts:
        rows = [[fmt.md_text(s), fmt.md_text(c), str(n)] for s, c, n in _rows(counts)]
        out += [fmt.md_table(["severity", "category", "errors"], rows, align=["l", "l", "r"]), ""]
    if missing:
        out += [f"{missing} segment(s) the judge could not judge (flagged; not scored).", ""]
    return out


def html_errors(view: RunView, week: str) -> Markup | None:
    counts = week_counts(view, week)
    missing = unjudged(view, week)
    if not counts and not missing:
        return None
    parts: list[Any] = [el("h3", "Judged errors")]
    if counts:
        parts.append(
            table(["severity", "category", "errors"], [[s, c, str(n)] for s, c, n in _rows(counts)])
        )
    if missing:
        parts.append(
            el("p", f"{missing} segment(s) the judge could not judge (not scored).", class_="hint")
        )
    return join(parts)


def markdown_spans(seg: Segment) -> str:
    """The judged errors of one segment on one line (empty without judges)."""
    parts = []
    for metric, j in judgments(seg):
        listed = span_list_markdown(j.spans, fmt.md_text) if j.spans else "no errors"
        parts.append(f"{fmt.md_text(metric)}: {listed}")
    return "; ".join(parts)


def html_spans(seg: Segment) -> Markup | None:
    """The output with each judge's error spans marked (severity and category on hover)."""
    blocks = []
    for metric, j in judgments(seg):
        head = f"{metric}: " + (f"{len(j.spans)} error(s)" if j.judged else "not judged")
        blocks.append(
            el(
                "div",
                el("h5", head),
                el("p", Markup(highlight_html(seg.output, j.spans)), class_="text output"),
                class_="judged",
            )
        )
    return join(blocks) if blocks else None


def usage_lines(record: RunRecord) -> list[str]:
    """One line per model that reported tokens: ``system m1: 1,200 prompt + 80 completion
    tokens, $0.0014``."""
    lines = []
    for u in record.model_usage:
        line = (
            f"{u.role} {u.name}: {u.prompt_tokens:,} prompt +"
            f" {u.completion_tokens:,} completion tokens"
        )
        if u.cost is not None:
            line += f", ${u.cost:.4f}"
        lines.append(line)
    return lines

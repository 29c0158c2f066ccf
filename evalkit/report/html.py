"""``report.html``: the run report as one self-contained page (inline CSS and SVG, no scripts).

Everything is built with :mod:`evalkit.report.htmlkit`, which escapes every plain string.
Score cells carry the exact values from run.json in ``data-value``/``data-lo``/``data-hi``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from evalkit.records import Segment
from evalkit.report import charts, diff, direction, fmt, judged, svg
from evalkit.report.html_scores import scores_table
from evalkit.report.htmlkit import Markup, anchor, el, join, page, table
from evalkit.report.model import RunView
from evalkit.runfiles import ALL_WEEKS
from evalkit.scorers.facts import MetricFacts

Facts = Mapping[str, MetricFacts]


def seg_card(seg: Segment, facts: MetricFacts) -> Markup:
    """Source, reference and output side by side, with the differences highlighted."""
    ref_p, out_p = diff.diff(seg.reference, seg.output)
    shown = fmt.num(seg.scores.get(facts.name), facts.digits)
    head = el(
        "div",
        el("span", f"{facts.label} {shown}", class_="badge"),
        el("span", seg.field, class_="field"),
        el("code", seg.id),
        class_="seg-head",
    )
    cols = el(
        "div",
        el(
            "div",
            el("h5", "source ", el("small", seg.src_lang)),
            el("p", seg.source, class_="text"),
            class_="col",
        ),
        el(
            "div",
            el("h5", "reference ", el("small", seg.tgt_lang)),
            el("p", diff.to_html(ref_p), class_="text"),
            class_="col",
        ),
        el(
            "div",
            el("h5", "output"),
            el("p", diff.to_html(out_p), class_="text output"),
            class_="col",
        ),
        class_="seg-cols",
    )
    return el("article", head, cols, judged.html_spans(seg), class_="seg")


def worst_block(view: RunView, week: str, facts: Facts) -> Markup | None:
    """The worst segments of each pair in ``week``, by the segment-ranking metric."""
    groups = view.worst(week)
    if not groups:
        return None
    mf = direction.lookup(facts, groups[0].metric)
    parts: list[Any] = [
        el("h3", "Worst segments"),
        el(
            "p",
            f"{view.worst_k} per pair by segment {mf.label} ({direction.phrase(mf)}). ",
            el("del", "struck"),
            " reference text is missing from the output; ",
            el("ins", "marked"),
            " output text is not in the reference.",
            class_="hint",
        ),
    ]
    for g in groups:
        title = g.pair if g.task == "translation" else f"{g.pair} {g.task}"
        parts.append(el("h4", title))
        parts += [seg_card(seg, direction.lookup(facts, g.metric)) for seg in g.segments]
    return join(parts)


def week_section(view: RunView, week: str, facts: Facts) -> Markup:
    papers = view.papers(week)
    rng = view.week_range(week)
    week_facts = el(
        "p",
        el("span", rng, class_="range") if rng else None,
        f" {view.paper_count(week)} papers",
        class_="facts",
    )
    paper_list = (
        el(
            "details",
            el("summary", f"Papers ({len(papers)})"),
            el("ol", [el("li", title, " ", el("code", pid)) for pid, title in papers]),
            class_="papers",
        )
        if papers
        else None
    )
    return el(
        "section",
        el("h2", "Week ", week),
        week_facts,
        scores_table(view, week, facts),
        paper_list,
        judged.html_errors(view, week),
        worst_block(view, week, facts),
        id=anchor("week", week),
        class_="week",
    )


def charts_section(chart_list: Sequence[charts.Chart]) -> Markup | None:
    """The charts, inline (the same drawing as the ``charts/*.svg`` files of report.md)."""
    if not chart_list:
        return None
    figures = [el("figure", svg.render(c), class_="chart-fig") for c in chart_list]
    return el(
        "section",
        el("h2", "Week by week"),
        el(
            "p",
            "Shaded bands: 95% bootstrap confidence intervals. Dashed lines: all-weeks score.",
            class_="hint",
        ),
        el("div", figures, class_="chart-grid"),
        id="charts",
    )


def provenance(view: RunView, facts: Facts) -> Markup:
    """Signatures and provenance: what a reader needs to reproduce the numbers."""
    record = view.record
    sig_rows = [
        [direction.lookup(facts, m).label, lang, el("td", el("code", sig), class_="sig")]
        for m, lang, sig in view.signatures()
    ]
    items = [
        ("run", view.run_id),
        ("dataset fingerprint", record.dataset.fingerprint),
        ("dataset source", record.dataset.source),
        ("examples fingerprint", record.examples_fingerprint),
        ("bootstrap", f"{record.n_resamples} resamples, seed {record.seed}"),
        ("evalkit version", record.evalkit_version),
        ("git revision", record.git_revision or "unknown"),
        ("created", record.created),
        *(("model usage", line) for line in judged.usage_lines(record)),
    ]
    spec = json.dumps(record.system, indent=2, sort_keys=True, ensure_ascii=False)
    return el(
        "footer",
        el("h2", "Signatures and provenance"),
        table(["metric", "target", "signature"], sig_rows, class_="sigs") if sig_rows else None,
        el("dl", [join([el("dt", k), el("dd", v)]) for k, v in items], class_="facts-list"),
        el("details", el("summary", "System spec"), el("pre", spec)),
        id="provenance",
    )


def header(view: RunView) -> Markup:
    record = view.record
    chips: list[tuple[str, str | int]] = [
        ("system", view.system_name()),
        ("dataset", record.dataset.fingerprint),
        ("weeks", len(view.weeks)),
        ("examples", record.examples_count),
        ("created", record.created),
        *(("model usage", line) for line in judged.usage_lines(record)),
    ]
    warn = None
    if record.status != "complete":
        failed = len(record.failed_ids)
        warn = el(
            "p", f"Partial run: {failed} examples failed; scores cover the rest.", class_="warn"
        )
    return el(
        "header",
        el("h1", "Evaluation report ", el("span", view.run_id, class_="run-id")),
        el(
            "ul",
            [el("li", el("span", k, class_="k"), " ", el("span", v, class_="v")) for k, v in chips],
            class_="chips",
        ),
        warn,
    )


def nav(view: RunView) -> Markup:
    links = [el("a", "All weeks", href="#all-weeks"), el("a", "Charts", href="#charts")]
    links += [el("a", w, href="#" + anchor("week", w)) for w in reversed(view.weeks)]
    links.append(el("a", "Provenance", href="#provenance"))
    return join(links)


def render(
    view: RunView,
    *,
    chart_list: Sequence[charts.Chart] | None = None,
    facts: Facts | None = None,
) -> str:
    """The whole HTML report of a run.

    Args:
        view: The run.
        chart_list: The charts (built from ``view`` when not given).
        facts: Metric facts by name (looked up when not given).
    """
    facts = facts or direction.facts_of(view.metrics)
    chart_list = charts.build(view, facts) if chart_list is None else chart_list
    legend = direction.legend(direction.lookup(facts, m) for m in view.metrics)
    body = el(
        "main",
        header(view),
        el(
            "section",
            el("h2", "All weeks"),
            scores_table(view, ALL_WEEKS, facts),
            el("p", "Better: ", legend, ".", class_="hint") if legend else None,
            id="all-weeks",
        ),
        charts_section(chart_list),
        [week_section(view, w, facts) for w in reversed(view.weeks)],
        provenance(view, facts),
    )
    return page(f"evalkit report: {view.run_id}", body, nav=nav(view))

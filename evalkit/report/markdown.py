"""``report.md``: the run report as GitHub Markdown (also a CI job summary).

Untrusted text (outputs, references, titles, specs) is escaped with :func:`fmt.md_text`
or put in code spans with :func:`fmt.md_code`, so it renders as text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from evalkit.records import SliceScore
from evalkit.report import charts, direction, fmt, judged
from evalkit.report.htmlkit import anchor
from evalkit.report.model import RunView, Slice
from evalkit.runfiles import ALL_WEEKS
from evalkit.scorers.facts import MetricFacts

Facts = Mapping[str, MetricFacts]

#: Characters of each text shown in the worst-segment tables (the HTML shows all of it).
TEXT_LIMIT = 280


def score_cell(score: SliceScore | None, digits: int) -> str:
    """``23.45 [21.03, 25.91]``, the form the tests and readers parse."""
    if score is None:
        return "–"
    ci = fmt.ci_text(score.ci95, digits)
    return f"{fmt.num(score.score, digits)} {ci}".strip()


def metric_header(facts: MetricFacts) -> str:
    """A metric's column header, escaped: ``BLEU ↑``."""
    return fmt.md_text(direction.header(facts))


def scores_table(view: RunView, week: str, facts: Facts) -> str:
    """The scores of every slice of ``week``; one precision per metric column."""
    mf = {m: direction.lookup(facts, m) for m in view.metrics}
    header = ["task", "pair", "field"] + [metric_header(mf[m]) for m in view.metrics] + ["n"]
    rows = []
    for sl in view.slices_in(week):
        cells = [fmt.md_text(sl[0]), fmt.md_text(sl[1]), fmt.md_text(sl[2])]
        cells += [score_cell(view.score(week, sl, m), mf[m].digits) for m in view.metrics]
        n = view.n(week, sl)
        cells.append(str(n) if n is not None else "–")
        rows.append(cells)
    return fmt.md_table(header, rows, align=["l", "l", "l"] + ["r"] * (len(view.metrics) + 1))


def _slice_name(sl: Slice) -> str:
    return fmt.md_text(fmt.slice_label(*sl))


def worst_section(view: RunView, week: str, facts: Facts) -> list[str]:
    """The worst segments of each pair in ``week``, by the segment-ranking metric."""
    groups = view.worst(week)
    if not groups:
        return []
    mf = direction.lookup(facts, groups[0].metric)
    out = [
        f"### Worst segments ({view.worst_k} per pair by segment {fmt.md_text(mf.label)},"
        f" {fmt.md_text(direction.phrase(mf))})",
        "",
    ]
    for g in groups:
        title = g.pair if g.task == "translation" else f"{g.pair} {g.task}"
        out += [f"#### {fmt.md_text(title)}", ""]
        rows = []
        judged_any = any(judged.judgments(seg) for seg in g.segments)
        for seg in g.segments:
            rows.append(
                [
                    fmt.num(seg.scores[g.metric], mf.digits),
                    fmt.md_text(seg.field),
                    fmt.md_text(seg.source, limit=TEXT_LIMIT),
                    fmt.md_text(seg.reference, limit=TEXT_LIMIT),
                    fmt.md_text(seg.output, limit=TEXT_LIMIT),
                    *([judged.markdown_spans(seg)] if judged_any else []),
                ]
            )
        header = [metric_header(mf), "field", "source", "reference", "output"]
        out += [
            fmt.md_table(
                header + (["judged errors"] if judged_any else []),
                rows,
                align=["r", "l", "l", "l", "l"] + (["l"] if judged_any else []),
            ),
            "",
        ]
    return out


def render(
    view: RunView,
    *,
    charts_dir: str = "charts",
    chart_list: Sequence[charts.Chart] | None = None,
    facts: Facts | None = None,
) -> str:
    """The whole Markdown report of a run.

    Args:
        view: The run.
        charts_dir: Where the chart files are, relative to report.md.
        chart_list: The charts (built from ``view`` when not given); each is linked as
            ``charts_dir/<chart.file_name>``.
        facts: Metric facts by name (looked up when not given).
    """
    facts = facts or direction.facts_of(view.metrics)
    record = view.record
    weeks_newest = list(reversed(view.weeks))
    out = [f"# Evaluation report: {fmt.md_text(view.run_id)}", ""]
    summary = [
        f"System **{fmt.md_text(view.system_name())}**",
        f"dataset {fmt.md_code(record.dataset.fingerprint)}",
        f"{len(view.weeks)} weeks",
        f"{fmt.md_text(record.examples_count)} examples",
        f"created {fmt.md_text(record.created)}",
    ]
    out += [" · ".join(summary), ""]
    if record.status != "complete":
        n_failed = len(record.failed_ids)
        out += [f"> **Partial run**: {n_failed} examples failed; scores cover the rest.", ""]
    if weeks_newest:
        links = " · ".join(f"[{fmt.md_text(w)}](#{anchor('week', w)})" for w in weeks_newest)
        out += [f"Weeks: [all weeks](#all-weeks) · {links}", ""]

    out += ['<a id="all-weeks"></a>', "", "## All weeks", ""]
    out += [scores_table(view, ALL_WEEKS, facts), ""]
    legend = direction.legend(direction.lookup(facts, m) for m in view.metrics)
    if legend:
        out += [f"Better: {fmt.md_text(legend)}.", ""]
    chart_list = charts.build(view, facts) if chart_list is None else chart_list
    if chart_list:
        out += [
            "## Week by week",
            "",
            "Bands are 95% bootstrap confidence intervals; dashed lines the all-weeks score.",
            "",
        ]
        for c in chart_list:
            alt = fmt.md_text(f"{c.title} ({c.subtitle})")
            out += [f"![{alt}]({quote(charts_dir)}/{quote(c.file_name)})", ""]

    for week in weeks_newest:
        out += [f'<a id="{anchor("week", week)}"></a>', "", f"## Week {fmt.md_text(week)}", ""]
        rng = view.week_range(week)
        papers = view.papers(week)
        out += [f"{fmt.md_text(rng) + ' · ' if rng else ''}{view.paper_count(week)} papers", ""]
        out += [scores_table(view, week, facts), ""]
        if papers:
            out += ["<details><summary>Papers</summary>", ""]
            out += [f"- {fmt.md_text(title)} ({fmt.md_code(pid)})" for pid, title in papers]
            out += ["", "</details>", ""]
        out += judged.markdown_errors(view, week)
        out += worst_section(view, week, facts)

    out += footer(view, facts)
    return "\n".join(out).rstrip() + "\n"


def footer(view: RunView, facts: Facts) -> list[str]:
    """Signatures and provenance: what a reader needs to reproduce the numbers."""
    record = view.record
    out = ["---", "", "## Signatures and provenance", ""]
    rows = [
        [
            fmt.md_text(direction.lookup(facts, m).label),
            fmt.md_text(lang),
            fmt.md_code(sig, in_table=True),
        ]
        for m, lang, sig in view.signatures()
    ]
    if rows:
        out += [fmt.md_table(["metric", "target", "signature"], rows), ""]
    out += [
        f"- dataset: {fmt.md_code(record.dataset.fingerprint)}"
        f" from {fmt.md_code(record.dataset.source)}, {record.dataset.papers} papers",
        f"- examples: {fmt.md_code(record.examples_fingerprint)}",
        f"- bootstrap: {fmt.md_text(record.n_resamples)} resamples,"
        f" seed {fmt.md_text(record.seed)}",
        f"- evalkit {fmt.md_text(record.evalkit_version)}, revision"
        f" {fmt.md_code(record.git_revision or 'unknown')}, run {fmt.md_code(view.run_id)}",
        *[f"- {fmt.md_text(line)}" for line in judged.usage_lines(record)],
        "",
        "<details><summary>System spec</summary>",
        "",
        "<pre>"
        + fmt.md_text_pre(json.dumps(record.system, indent=2, sort_keys=True, ensure_ascii=False))
        + "</pre>",
        "",
        "</details>",
    ]
    return out

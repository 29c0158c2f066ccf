"""Markdown and HTML of a comparison (built by :func:`evalkit.report.compare.build`)."""

from __future__ import annotations

from typing import Any

from evalkit.report import diff, fmt
from evalkit.report.comparison import Comparison, DifferingSegment, Row
from evalkit.report.htmlkit import Markup, anchor, el, join, page, table
from evalkit.runfiles import ALL_WEEKS

MARK = "*"


def _weeks_order(data: Comparison) -> list[str]:
    """Total first, then weeks newest first."""
    return [ALL_WEEKS, *reversed(data.weeks)]


def _week_title(week: str) -> str:
    return "All weeks" if week == ALL_WEEKS else f"Week {week}"


def _legend(data: Comparison) -> str:
    test = data.test
    unit = "trials" if "randomization" in data.test_name else "resamples"
    return (
        f"Δ: difference to the first run. {MARK}: significant at p < {test.alpha} "
        f"({data.test_name} on segment statistics, {test.samples} {unit}, seed {test.seed})."
    )


def _delta_text(row: Row, k: int, digits: int) -> str:
    d = row.diffs[k - 1]
    return fmt.signed(d.delta, digits) + (MARK if d.significant else "")


def markdown(data: Comparison) -> str:
    ids = data.run_ids
    out = ["# Comparison: " + " vs ".join(fmt.md_text(i) for i in ids), ""]
    out += [
        fmt.md_table(
            ["#", "run", "system", "created"],
            [
                [
                    str(k + 1),
                    fmt.md_text(r.run_id),
                    fmt.md_text(r.system_name),
                    fmt.md_text(r.created),
                ]
                for k, r in enumerate(data.runs)
            ],
        ),
        "",
    ]
    out += [
        f"Dataset {fmt.md_code(data.dataset_fingerprint)},"
        f" {data.examples_count} examples. " + fmt.md_text(_legend(data)),
        "",
    ]
    for w in data.warnings:
        out += [f"> **Warning**: {fmt.md_text(w)}", ""]
    header = ["task", "pair", "field", "metric", "better", fmt.md_text(ids[0])]
    for i in ids[1:]:
        header += [fmt.md_text(i), "Δ"]
    header.append("n")
    d = data.digits
    for week in _weeks_order(data):
        rows = data.rows_of(week)
        if not rows:
            continue
        out += [f"## {fmt.md_text(_week_title(week))}", ""]
        body = []
        for r in rows:
            facts = data.facts(r.metric)
            cells = [
                fmt.md_text(r.task),
                fmt.md_text(r.pair),
                fmt.md_text(r.field),
                fmt.md_text(facts.label),
                fmt.md_text(facts.better),
                fmt.num(r.scores[0], d),
            ]
            for k in range(1, len(ids)):
                cells += [
                    fmt.num(r.scores[k], d),
                    _delta_text(r, k, d).replace(MARK, "\\" + MARK),
                ]
            cells.append(str(r.n))
            body.append(cells)
        out += [fmt.md_table(header, body, align=["l"] * 5 + ["r"] * (len(header) - 5)), ""]
    for block in data.differing:
        metric = fmt.md_text(data.facts(block.metric).label)
        out += [
            f"## Segments that differ most: {fmt.md_text(block.run)} vs {fmt.md_text(ids[0])}"
            f" (segment {metric})",
            "",
        ]
        if not block.segments:
            out += ["No segment scores differ.", ""]
            continue
        body = [
            [
                fmt.signed(s.delta, 2),
                fmt.md_code(s.id, in_table=True),
                fmt.md_text(s.reference, limit=200),
                fmt.md_text(s.outputs[0], limit=200),
                fmt.md_text(s.outputs[1], limit=200),
            ]
            for s in block.segments
        ]
        out += [
            fmt.md_table(
                ["Δ", "id", "reference", fmt.md_text(ids[0]), fmt.md_text(block.run)],
                body,
                align=["r", "l", "l", "l", "l"],
            ),
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _delta_td(row: Row, k: int, digits: int) -> Markup:
    d = row.diffs[k - 1]
    cls = "num"
    if d.significant and d.change:
        cls += " delta-good" if d.change > 0 else " delta-bad"
    return el(
        "td",
        fmt.signed(d.delta, digits),
        el("span", MARK, class_="sig-marker") if d.significant else None,
        class_=cls,
        title=f"p = {d.p_value:.4f}",
        data_delta=repr(d.delta),
        data_p=repr(d.p_value),
        data_significant="true" if d.significant else "false",
    )


def _score_td(row: Row, k: int, digits: int) -> Markup:
    value, ci = row.scores[k], row.ci95[k]
    return el(
        "td",
        el("span", fmt.num(value, digits), class_="score"),
        " ",
        el("span", fmt.ci_text(ci, digits), class_="ci") if ci else None,
        class_="num",
        data_value=repr(value),
    )


def _seg_card(seg: DifferingSegment, ids: list[str], run: str) -> Markup:
    ref_a, out_a = diff.diff(seg.reference, seg.outputs[0])
    _, out_b = diff.diff(seg.reference, seg.outputs[1])
    head = el(
        "div",
        el("span", f"Δ {fmt.signed(seg.delta, 2)}", class_="badge"),
        el("span", seg.field, class_="field"),
        el("code", seg.id),
        class_="seg-head",
    )
    cols = el(
        "div",
        el(
            "div",
            el("h5", "source"),
            el("p", seg.source, class_="text"),
            el("h5", "reference"),
            el("p", diff.to_html(ref_a), class_="text"),
            class_="col",
        ),
        el(
            "div",
            el("h5", ids[0], " ", el("small", fmt.num(seg.scores[0], 2))),
            el("p", diff.to_html(out_a), class_="text output"),
            class_="col",
        ),
        el(
            "div",
            el("h5", run, " ", el("small", fmt.num(seg.scores[1], 2))),
            el("p", diff.to_html(out_b), class_="text output"),
            class_="col",
        ),
        class_="seg-cols",
    )
    return el("article", head, cols, class_="seg")


def html(data: Comparison) -> str:
    ids = data.run_ids
    parts: list[Any] = [
        el(
            "header",
            el("h1", "Comparison ", el("span", " vs ".join(ids), class_="run-id")),
            table(
                ["#", "run", "system", "created"],
                [
                    [k + 1, r.run_id, r.system_name, r.created or ""]
                    for k, r in enumerate(data.runs)
                ],
            ),
            el(
                "p",
                "Dataset ",
                el("code", data.dataset_fingerprint),
                f", {data.examples_count} examples. ",
                _legend(data),
                class_="hint",
            ),
            [el("p", "Warning: ", w, class_="warn") for w in data.warnings],
        ),
    ]
    header: list[Any] = ["task", "pair", "field", "metric", "better", ids[0]]
    for i in ids[1:]:
        header += [i, "Δ"]
    header.append("n")
    d = data.digits
    nav = []
    for week in _weeks_order(data):
        rows = data.rows_of(week)
        if not rows:
            continue
        wid = "all-weeks" if week == ALL_WEEKS else anchor("week", week)
        nav.append(el("a", "All weeks" if week == ALL_WEEKS else week, href="#" + wid))
        body = []
        for r in rows:
            facts = data.facts(r.metric)
            cells: list[Any] = [
                r.task,
                r.pair,
                r.field,
                facts.label,
                facts.better,
                _score_td(r, 0, d),
            ]
            for k in range(1, len(ids)):
                cells += [_score_td(r, k, d), _delta_td(r, k, d)]
            cells.append(el("td", r.n, class_="num"))
            body.append(cells)
        parts.append(
            el("section", el("h2", _week_title(week)), table(header, body), id=wid, data_week=week)
        )
    for block in data.differing:
        sid = anchor("differ", block.run)
        nav.append(el("a", f"Differences: {block.run}", href="#" + sid))
        cards = [_seg_card(s, ids, block.run) for s in block.segments]
        parts.append(
            el(
                "section",
                el("h2", "Segments that differ most: ", block.run, " vs ", ids[0]),
                el(
                    "p",
                    f"By segment {data.facts(block.metric).label};"
                    " outputs highlighted against the reference.",
                    class_="hint",
                ),
                cards or el("p", "No segment scores differ.", class_="hint"),
                id=sid,
            )
        )
    return page("evalkit comparison: " + " vs ".join(ids), el("main", join(parts)), nav=join(nav))

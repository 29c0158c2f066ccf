"""Markdown and HTML of a comparison (the dict built by :func:`evalkit.report.compare.build`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evalkit.report import diff, fmt
from evalkit.report.htmlkit import Markup, anchor, el, join, page, table
from evalkit.runfiles import ALL_WEEKS

MARK = "*"


def _system(run: Mapping[str, Any]) -> str:
    system = run.get("system")
    if isinstance(system, Mapping):
        return str(system.get("name") or system.get("kind") or "?")
    return str(system)


def _weeks_order(data: Mapping[str, Any]) -> list[str]:
    """Total first, then weeks newest first."""
    return [ALL_WEEKS, *reversed(data["weeks"])]


def _week_title(week: str) -> str:
    return "All weeks" if week == ALL_WEEKS else f"Week {week}"


def _legend(data: Mapping[str, Any]) -> str:
    b = data["bootstrap"]
    unit = "trials" if "randomization" in b["test"] else "resamples"
    return (
        f"Δ: difference to the first run. {MARK}: significant at p < {b['alpha']} "
        f"({b['test']} on segment statistics, {b['n_resamples']} {unit}, seed {b['seed']})."
    )


def column_digits(data: Mapping[str, Any]) -> int:
    """One precision for every number of a score column (the most any metric needs)."""
    return max([int(d) for d in (data.get("digits") or {}).values()] or [2])


def column_better(data: Mapping[str, Any], metric: str) -> str:
    return str((data.get("better") or {}).get(metric) or fmt.better_text(metric))


def metric_label(data: Mapping[str, Any], metric: str) -> str:
    return str((data.get("labels") or {}).get(metric) or fmt.metric_label(metric))


def _delta_text(row: Mapping[str, Any], k: int, digits: int) -> str:
    text = fmt.signed(row["deltas"][k], digits)
    return text + (MARK if row["significant"][k] else "")


def _rows(data: Mapping[str, Any], week: str) -> list[Mapping[str, Any]]:
    return [r for r in data["rows"] if r["week"] == week]


def markdown(data: Mapping[str, Any]) -> str:
    runs = data["runs"]
    ids = [r["run_id"] for r in runs]
    out = ["# Comparison: " + " vs ".join(fmt.md_text(i) for i in ids), ""]
    out += [
        fmt.md_table(
            ["#", "run", "system", "created"],
            [
                [
                    str(k + 1),
                    fmt.md_text(r["run_id"]),
                    fmt.md_text(_system(r)),
                    fmt.md_text(r.get("created")),
                ]
                for k, r in enumerate(runs)
            ],
        ),
        "",
    ]
    out += [
        f"Dataset {fmt.md_code(data['dataset']['fingerprint'])},"
        f" {data['examples']['count']} examples. " + fmt.md_text(_legend(data)),
        "",
    ]
    for w in data["warnings"]:
        out += [f"> **Warning**: {fmt.md_text(w)}", ""]
    header = ["task", "pair", "field", "metric", "better", fmt.md_text(ids[0])]
    for i in ids[1:]:
        header += [fmt.md_text(i), "Δ"]
    header.append("n")
    d = column_digits(data)
    for week in _weeks_order(data):
        rows = _rows(data, week)
        if not rows:
            continue
        out += [f"## {fmt.md_text(_week_title(week))}", ""]
        body = []
        for r in rows:
            cells = [
                fmt.md_text(r["task"]),
                fmt.md_text(r["pair"]),
                fmt.md_text(r["field"]),
                fmt.md_text(metric_label(data, r["metric"])),
                fmt.md_text(column_better(data, r["metric"])),
                fmt.num(r["scores"][0], d),
            ]
            for k in range(1, len(ids)):
                cells += [
                    fmt.num(r["scores"][k], d),
                    _delta_text(r, k, d).replace(MARK, "\\" + MARK),
                ]
            cells.append(str(r["n"]))
            body.append(cells)
        out += [fmt.md_table(header, body, align=["l"] * 5 + ["r"] * (len(header) - 5)), ""]
    for block in data["differing_segments"]:
        metric = fmt.md_text(metric_label(data, block["metric"]))
        out += [
            f"## Segments that differ most: {fmt.md_text(block['run'])} vs {fmt.md_text(ids[0])}"
            f" (segment {metric})",
            "",
        ]
        if not block["segments"]:
            out += ["No segment scores differ.", ""]
            continue
        body = [
            [
                fmt.signed(s["delta"], 2),
                fmt.md_code(s["id"], in_table=True),
                fmt.md_text(s["reference"], limit=200),
                fmt.md_text(s["outputs"][0], limit=200),
                fmt.md_text(s["outputs"][1], limit=200),
            ]
            for s in block["segments"]
        ]
        out += [
            fmt.md_table(
                ["Δ", "id", "reference", fmt.md_text(ids[0]), fmt.md_text(block["run"])],
                body,
                align=["r", "l", "l", "l", "l"],
            ),
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _delta_td(row: Mapping[str, Any], k: int, digits: int, higher_better: bool) -> Markup:
    delta, p = row["deltas"][k], row["p_values"][k]
    change = (row.get("changes") or [None] * (k + 1))[k]
    if change is None and delta is not None:  # comparisons written before "changes"
        change = delta if higher_better else -delta
    cls = "num"
    if row["significant"][k] and change:
        cls += " delta-good" if change > 0 else " delta-bad"
    title = f"p = {p:.4f}" if p is not None else "no paired statistics"
    mark = el("span", MARK, class_="sig-marker") if row["significant"][k] else None
    return el(
        "td",
        fmt.signed(delta, digits),
        mark,
        class_=cls,
        title=title,
        data_delta=repr(delta) if delta is not None else None,
        data_p=repr(p) if p is not None else None,
        data_significant="true" if row["significant"][k] else "false",
    )


def _score_td(row: Mapping[str, Any], k: int, digits: int) -> Markup:
    value, ci = row["scores"][k], row["ci95"][k]
    return el(
        "td",
        el("span", fmt.num(value, digits), class_="score"),
        " ",
        el("span", fmt.ci_text(ci, digits), class_="ci") if ci else None,
        class_="num",
        data_value=repr(value) if value is not None else None,
    )


def _seg_card(seg: Mapping[str, Any], ids: list[str], run: str) -> Markup:
    ref_a, out_a = diff.diff(str(seg["reference"] or ""), str(seg["outputs"][0] or ""))
    _, out_b = diff.diff(str(seg["reference"] or ""), str(seg["outputs"][1] or ""))
    head = el(
        "div",
        el("span", f"Δ {fmt.signed(seg['delta'], 2)}", class_="badge"),
        el("span", seg["field"], class_="field"),
        el("code", seg["id"]),
        class_="seg-head",
    )
    cols = el(
        "div",
        el(
            "div",
            el("h5", "source"),
            el("p", seg["source"], class_="text"),
            el("h5", "reference"),
            el("p", diff.to_html(ref_a), class_="text"),
            class_="col",
        ),
        el(
            "div",
            el("h5", ids[0], " ", el("small", fmt.num(seg["scores"][0], 2))),
            el("p", diff.to_html(out_a), class_="text output"),
            class_="col",
        ),
        el(
            "div",
            el("h5", run, " ", el("small", fmt.num(seg["scores"][1], 2))),
            el("p", diff.to_html(out_b), class_="text output"),
            class_="col",
        ),
        class_="seg-cols",
    )
    return el("article", head, cols, class_="seg")


def html(data: Mapping[str, Any]) -> str:
    runs = data["runs"]
    ids = [r["run_id"] for r in runs]
    parts: list[Any] = [
        el(
            "header",
            el("h1", "Comparison ", el("span", " vs ".join(ids), class_="run-id")),
            table(
                ["#", "run", "system", "created"],
                [
                    [k + 1, r["run_id"], _system(r), r.get("created") or ""]
                    for k, r in enumerate(runs)
                ],
            ),
            el(
                "p",
                "Dataset ",
                el("code", data["dataset"]["fingerprint"]),
                f", {data['examples']['count']} examples. ",
                _legend(data),
                class_="hint",
            ),
            [el("p", "Warning: ", w, class_="warn") for w in data["warnings"]],
        ),
    ]
    header: list[Any] = ["task", "pair", "field", "metric", "better", ids[0]]
    for i in ids[1:]:
        header += [i, "Δ"]
    header.append("n")
    d = column_digits(data)
    nav = []
    for week in _weeks_order(data):
        rows = _rows(data, week)
        if not rows:
            continue
        wid = "all-weeks" if week == ALL_WEEKS else anchor("week", week)
        nav.append(el("a", "All weeks" if week == ALL_WEEKS else week, href="#" + wid))
        body = []
        for r in rows:
            cells: list[Any] = [
                r["task"],
                r["pair"],
                r["field"],
                metric_label(data, r["metric"]),
                column_better(data, r["metric"]),
                _score_td(r, 0, d),
            ]
            for k in range(1, len(ids)):
                cells += [
                    _score_td(r, k, d),
                    _delta_td(r, k, d, data["higher_is_better"].get(r["metric"], True)),
                ]
            cells.append(el("td", r["n"], class_="num"))
            body.append(cells)
        parts.append(
            el("section", el("h2", _week_title(week)), table(header, body), id=wid, data_week=week)
        )
    for block in data["differing_segments"]:
        sid = anchor("differ", block["run"])
        nav.append(el("a", f"Differences: {block['run']}", href="#" + sid))
        cards = [_seg_card(s, ids, block["run"]) for s in block["segments"]]
        parts.append(
            el(
                "section",
                el("h2", "Segments that differ most: ", block["run"], " vs ", ids[0]),
                el(
                    "p",
                    f"By segment {metric_label(data, block['metric'])};"
                    " outputs highlighted against the reference.",
                    class_="hint",
                ),
                cards or el("p", "No segment scores differ.", class_="hint"),
                id=sid,
            )
        )
    return page("evalkit comparison: " + " vs ".join(ids), el("main", join(parts)), nav=join(nav))

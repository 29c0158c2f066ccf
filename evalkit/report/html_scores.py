"""Score tables of ``report.html``: one precision per metric column, headers that say
which way is better, and the exact values of run.json in ``data-*`` attributes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from evalkit.records import SliceScore
from evalkit.report import direction, fmt
from evalkit.report.htmlkit import Markup, el, table
from evalkit.report.model import RunView
from evalkit.scorers.facts import MetricFacts


def score_td(d: SliceScore | None, digits: int, scale: tuple[float, float] | None = None) -> Markup:
    """A score cell: number, CI and a small CI bar scaled to the table's range."""
    if d is None:
        return el("td", "–", class_="num missing")
    ci = d.ci95
    bar = None
    if ci and scale and scale[1] > scale[0]:
        lo, hi = scale
        left = 100 * (ci[0] - lo) / (hi - lo)
        width = max(100 * (ci[1] - ci[0]) / (hi - lo), 0.5)
        mid = 100 * (d.score - lo) / (hi - lo)
        bar = el(
            "span",
            el("span", class_="ci-band", style=f"left:{left:.1f}%;width:{width:.1f}%"),
            el("span", class_="ci-mark", style=f"left:{mid:.1f}%"),
            class_="ci-bar",
            aria_hidden="true",
        )
    return el(
        "td",
        el("span", fmt.num(d.score, digits), class_="score"),
        " ",
        el("span", fmt.ci_text(ci, digits), class_="ci") if ci else None,
        bar,
        class_="num",
        data_metric=d.metric,
        data_value=repr(float(d.score)),
        data_lo=repr(float(ci[0])) if ci else None,
        data_hi=repr(float(ci[1])) if ci else None,
        data_n=d.n,
    )


def _scale(values: Iterable[SliceScore | None]) -> tuple[float, float] | None:
    nums = [v for d in values if d for v in (d.ci95 or (d.score,))]
    return (min(nums), max(nums)) if nums else None


def metric_th(facts: MetricFacts) -> Markup:
    """A metric's column header with which way is better: ``BLEU ↑``."""
    phrase = direction.phrase(facts)
    return el(
        "th",
        facts.label,
        " ",
        el("span", direction.marker(facts), class_="better", title=phrase),
        data_metric=facts.name,
        data_better=facts.better,
        title=phrase,
    )


def scores_table(view: RunView, week: str, facts: Mapping[str, MetricFacts]) -> Markup:
    """The scores of every slice of ``week``; one precision per metric column."""
    mf = {m: direction.lookup(facts, m) for m in view.metrics}
    header = ["task", "pair", "field", *(metric_th(mf[m]) for m in view.metrics), "n"]
    scales = {
        m: _scale(view.score(week, sl, m) for sl in view.slices_in(week)) for m in view.metrics
    }
    rows = []
    for sl in view.slices_in(week):
        cells: list[Any] = list(sl)
        cells += [score_td(view.score(week, sl, m), mf[m].digits, scales[m]) for m in view.metrics]
        n = view.n(week, sl)
        cells.append(el("td", n if n is not None else "–", class_="num"))
        rows.append(cells)
    return el("div", table(header, rows), class_="scores-block", data_week=week)

"""Charts of scores week by week with 95% CI bands: inline SVG for HTML, PNG for Markdown.

One chart per metric and language pair, one series per task field; the dashed line of
each series is its all-weeks score.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from evalkit.io import remove
from evalkit.report import fmt
from evalkit.report.htmlkit import Markup, el, join
from evalkit.report.model import RunView
from evalkit.runfiles import ALL_WEEKS

#: Okabe-Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


@dataclass
class Point:
    week: str
    score: float
    lo: float
    hi: float
    n: int


@dataclass
class Series:
    label: str
    points: list[Point] = field(default_factory=list)
    total: float | None = None


@dataclass
class Chart:
    metric: str
    pair: str
    weeks: list[str]
    series: list[Series]
    digits: int

    @property
    def title(self) -> str:
        return f"{fmt.metric_label(self.metric)} · {self.pair}"

    @property
    def file_name(self) -> str:
        return re.sub(r"[^A-Za-z0-9._+-]+", "_", f"{self.metric}_{self.pair}") + ".png"


def build(view: RunView) -> list[Chart]:
    """The charts of a run, in metric then pair order."""
    charts = []
    for metric, pair in view.series_keys:
        series = []
        for sl in view.slices:
            if sl[1] != pair:
                continue
            label = sl[2] if sl[0] == "translation" else f"{sl[2]} ({sl[0]})"
            s = Series(label)
            for week in view.weeks:
                d = view.score(week, sl, metric)
                if d is None or d.get("score") is None:
                    continue
                ci = d.get("ci95") or [d["score"], d["score"]]
                s.points.append(
                    Point(week, float(d["score"]), float(ci[0]), float(ci[1]), int(d.get("n", 0)))
                )
            total = view.score(ALL_WEEKS, sl, metric)
            s.total = float(total["score"]) if total and total.get("score") is not None else None
            if s.points:
                series.append(s)
        if series:  # the x axis: the weeks this pair has scores for, in the run's order
            used = {pt.week for s in series for pt in s.points}
            weeks = [w for w in view.weeks if w in used]
            charts.append(Chart(metric, pair, weeks, series, view.digits.get(metric, 2)))
    return charts


def nice_ticks(lo: float, hi: float, count: int = 5) -> tuple[list[float], int]:
    """Round tick values covering ``[lo, hi]`` and the decimals they need."""
    raw = (hi - lo) / max(count - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) + (
        1 if round(step / mag, 1) == 2.5 else 0
    )
    ticks = []
    t = math.ceil(lo / step - 1e-9) * step
    while t <= hi + 1e-9 * step:
        ticks.append(round(t, 10))
        t += step
    return ticks, decimals


def y_range(chart: Chart) -> tuple[float, float]:
    values = [v for s in chart.series for p in s.points for v in (p.lo, p.hi, p.score)]
    values += [s.total for s in chart.series if s.total is not None]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or (abs(hi) * 0.1 or (0.05 if chart.digits > 2 else 1.0))
    return lo - pad, hi + pad


def svg(chart: Chart, *, width: int = 680, height: int = 280) -> Markup:
    """The chart as an inline ``<svg>`` (text escaped, no external references)."""
    left, right, top, bottom = 56, 16, 34, 40
    pw, ph = width - left - right, height - top - bottom
    lo, hi = y_range(chart)
    weeks = chart.weeks
    d = chart.digits

    def x(week: str) -> float:
        return left + pw * (weeks.index(week) + 0.5) / len(weeks)

    def y(v: float) -> float:
        return top + ph * (hi - v) / (hi - lo)

    parts: list[Markup] = [el("title", chart.title)]
    ticks, decimals = nice_ticks(lo, hi)
    for t in ticks:
        yy = f"{y(t):.1f}"
        parts.append(el("line", x1=left, x2=left + pw, y1=yy, y2=yy, class_="grid"))
        parts.append(el("text", fmt.num(t, decimals), x=left - 6, y=yy, class_="ytick"))
    step = max(1, math.ceil(len(weeks) / 10))
    for i, week in enumerate(weeks):
        if i % step == 0 or i == len(weeks) - 1:
            parts.append(el("text", week, x=f"{x(week):.1f}", y=top + ph + 18, class_="xtick"))
    for k, s in enumerate(chart.series):
        color = PALETTE[k % len(PALETTE)]
        pts = s.points
        band = [(x(p.week), y(p.hi)) for p in pts] + [(x(p.week), y(p.lo)) for p in reversed(pts)]
        if len(pts) > 1:
            parts.append(el("polygon", points=_pts(band), fill=color, class_="band"))
            line = [(x(p.week), y(p.score)) for p in pts]
            parts.append(el("polyline", points=_pts(line), stroke=color, class_="line"))
        if s.total is not None:
            ty = f"{y(s.total):.1f}"
            parts.append(
                el(
                    "line",
                    el("title", f"{s.label}, all weeks: {fmt.num(s.total, d)}"),
                    x1=left,
                    x2=left + pw,
                    y1=ty,
                    y2=ty,
                    stroke=color,
                    class_="total",
                )
            )
        for p in pts:
            tip = (
                f"{p.week} {s.label}: {fmt.num(p.score, d)} {fmt.ci_text([p.lo, p.hi], d)} n={p.n}"
            )
            cx = f"{x(p.week):.1f}"
            if len(pts) == 1:
                parts.append(
                    el(
                        "line",
                        x1=cx,
                        x2=cx,
                        y1=f"{y(p.lo):.1f}",
                        y2=f"{y(p.hi):.1f}",
                        stroke=color,
                        class_="whisker",
                    )
                )
            parts.append(
                el(
                    "circle",
                    el("title", tip),
                    cx=cx,
                    cy=f"{y(p.score):.1f}",
                    r=4,
                    fill=color,
                    class_="point",
                )
            )
        lx = left + k * 150
        parts.append(el("rect", x=lx, y=8, width=12, height=12, rx=2, fill=color))
        parts.append(el("text", s.label, x=lx + 18, y=18, class_="legend"))
    return el(
        "svg",
        join(parts),
        viewBox=f"0 0 {width} {height}",
        role="img",
        aria_label=chart.title,
        class_="chart",
        preserveAspectRatio="xMidYMid meet",
    )


def _pts(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{a:.1f},{b:.1f}" for a, b in points)


def write_pngs(view: RunView, out_dir: Path) -> list[Path]:
    """Render every chart of ``view`` as ``out_dir/<metric>_<pair>.png``; returns the files."""
    charts = build(view)
    from evalkit.report.png import render

    written = [render(chart, out_dir / chart.file_name) for chart in charts]
    for stale in set(out_dir.glob("*.png")) - set(
        written
    ):  # charts of metrics no longer in the run
        remove(stale)
    return written

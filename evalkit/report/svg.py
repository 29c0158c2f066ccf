"""The one chart renderer: a :class:`~evalkit.report.charts.Chart` as SVG.

The same drawing goes inline into report.html and, with an XML declaration and the SVG
namespace, into ``charts/*.svg`` beside report.md. Styles are presentation attributes
(no stylesheet, no script, no external reference), so a file looks the same opened on
its own, embedded in Markdown, or inline in the page. Every text is escaped and cleared
of characters XML cannot hold.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path

from evalkit.io import atomic_write_text, remove
from evalkit.report import fmt
from evalkit.report.charts import Chart, nice_ticks, y_range
from evalkit.report.htmlkit import Markup, el, join
from evalkit.report.svg_text import fit, legend_layout, short, text_width, week_labels, xml_text

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT = 680, 300
FONT = (
    "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK KR', 'Noto Sans CJK JP',"
    " 'Apple SD Gothic Neo', 'Hiragino Sans', 'Malgun Gothic', sans-serif"
)
FG, MUTED, GRID, BG = "#1f2328", "#656d76", "#e5e8eb", "#ffffff"
#: Okabe-Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Characters of a label drawn in the legend (the full text is in a tooltip).
LABEL_LIMIT = 40


def render(c: Chart, *, standalone: bool = False) -> Markup:
    """``c`` as one ``<svg>`` element; ``standalone`` adds the namespace and a pixel size."""
    t = xml_text
    labels = [short(s.label, LABEL_LIMIT) for s in c.series]
    legend = legend_layout(labels, WIDTH - 32)
    rows = 1 + max((row for _, row in legend), default=0)
    left, right, top, bottom = 56, 16, 44 + 20 * rows, 46
    height = HEIGHT + 20 * (rows - 1) + 14
    pw, ph = WIDTH - left - right, height - top - bottom
    lo, hi = y_range(c)
    weeks = c.weeks
    pos = {w: i for i, w in enumerate(weeks)}
    finite = math.isfinite(hi - lo) and hi > lo
    span = hi - lo if finite else 1.0

    def x(week: str) -> float:
        return left + pw * (pos[week] + 0.5) / len(weeks)

    def y(v: float) -> float:
        return top + ph * (hi - v) / span

    title = f"{c.title} ({c.subtitle})"
    sub = f"  {c.subtitle}"
    note = "band: 95% CI · dashed: all weeks"
    if c.target is not None:
        note += f" · dotted: target {c.target:g}"
    parts: list[Markup] = [
        el("title", t(title)),
        el("rect", width=WIDTH, height=height, fill=BG),
        el(
            "text",
            el(
                "tspan",
                t(fit(c.title, WIDTH - 32 - text_width(sub, 13), 13)),
                font_weight="600",
                fill=FG,
            ),
            el("tspan", t(sub), fill=MUTED),
            x=16,
            y=18,
            font_size=13,
        ),
        el("text", note, x=WIDTH - right, y=height - 8, fill=MUTED, text_anchor="end"),
    ]
    if finite:
        ticks, decimals = nice_ticks(lo, hi)
        for v in ticks:
            yy = f"{y(v):.1f}"
            parts.append(el("line", x1=left, x2=left + pw, y1=yy, y2=yy, stroke=GRID))
            parts.append(
                el(
                    "text",
                    fmt.num(v, decimals),
                    x=left - 6,
                    y=yy,
                    fill=MUTED,
                    text_anchor="end",
                    dominant_baseline="middle",
                )
            )
    widest = max(text_width(short(w, 12)) for w in weeks) * 1.15 + 12
    for i in week_labels(len(weeks), pw / len(weeks), widest):
        label = short(weeks[i], 12)
        half = text_width(label) / 2
        lx = min(max(x(weeks[i]), half + 2), WIDTH - half - 2)  # inside the picture
        parts.append(
            el(
                "text",
                t(label),
                x=f"{lx:.1f}",
                y=top + ph + 18,
                fill=MUTED,
                text_anchor="middle",
            )
        )
    if c.target is not None:
        ty = f"{y(c.target):.1f}"
        parts.append(
            el(
                "line",
                el("title", t(f"target {c.target:g}")),
                x1=left,
                x2=left + pw,
                y1=ty,
                y2=ty,
                stroke=FG,
                stroke_width=1,
                stroke_dasharray="1 3",
            )
        )
    for k, s in enumerate(c.series):
        parts += _series(c, k, x, y, (left, left + pw))
        dx, row = legend[k]
        lx, ly = 16 + dx, 30 + 20 * row
        parts.append(el("rect", x=f"{lx:.1f}", y=ly, width=12, height=12, rx=2, fill=_color(k)))
        parts.append(
            el(
                "text",
                el("title", t(s.label)),
                t(labels[k]),
                x=f"{lx + 18:.1f}",
                y=ly + 10,
                fill=FG,
            )
        )
    return el(
        "svg",
        join(parts),
        xmlns=SVG_NS if standalone else None,
        width=WIDTH if standalone else None,
        height=height if standalone else None,
        viewBox=f"0 0 {WIDTH} {height}",
        role="img",
        aria_label=t(title),
        class_="chart",
        font_family=FONT,
        font_size=11,
        preserveAspectRatio="xMidYMid meet",
    )


def _pts(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{a:.1f},{b:.1f}" for a, b in points)


def _color(k: int) -> str:
    return PALETTE[k % len(PALETTE)]


def _series(
    c: Chart,
    k: int,
    x: Callable[[str], float],
    y: Callable[[float], float],
    span: tuple[float, float],
) -> list[Markup]:
    """Band, line, all-weeks line and points of the ``k``-th series."""
    t, d, color = xml_text, c.digits, _color(k)
    s = c.series[k]
    pts = s.points
    out: list[Markup] = []
    if len(pts) > 1:
        band = [(x(p.week), y(p.hi)) for p in pts] + [(x(p.week), y(p.lo)) for p in reversed(pts)]
        out.append(el("polygon", points=_pts(band), fill=color, fill_opacity=".18", class_="band"))
        out.append(
            el(
                "polyline",
                points=_pts((x(p.week), y(p.score)) for p in pts),
                fill="none",
                stroke=color,
                stroke_width=2,
                class_="line",
            )
        )
    if s.total is not None:
        ty = f"{y(s.total):.1f}"
        out.append(
            el(
                "line",
                el("title", t(f"{s.label}, all weeks: {fmt.num(s.total, d)}")),
                x1=span[0],
                x2=span[1],
                y1=ty,
                y2=ty,
                stroke=color,
                stroke_width=1.2,
                stroke_dasharray="5 4",
                opacity=".8",
                class_="total",
            )
        )
    for p in pts:
        cx = f"{x(p.week):.1f}"
        if len(pts) == 1:
            out.append(
                el(
                    "line",
                    x1=cx,
                    x2=cx,
                    y1=f"{y(p.lo):.1f}",
                    y2=f"{y(p.hi):.1f}",
                    stroke=color,
                    stroke_width=2,
                    class_="whisker",
                )
            )
        tip = f"{p.week} {s.label}: {fmt.num(p.score, d)} {fmt.ci_text([p.lo, p.hi], d)} n={p.n}"
        out.append(
            el(
                "circle",
                el("title", t(tip)),
                cx=cx,
                cy=f"{y(p.score):.1f}",
                r=4 if len(c.weeks) <= 20 else 2.5,
                fill=color,
                stroke=BG,
                stroke_width=1.5,
                class_="point",
            )
        )
    return out


def document(c: Chart) -> str:
    """``c`` as a standalone SVG file's text."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + render(c, standalone=True) + "\n"


def write_files(charts: Iterable[Chart], out_dir: Path) -> list[Path]:
    """Write each chart as ``out_dir/<file_name>``; remove chart files of earlier reports.

    Raises:
        DataError: if ``out_dir`` is a symbolic link (files would land outside the run).
    """
    # a link planted at charts/ or at a chart file is refused by the confined write path
    written = []
    for c in charts:
        path = out_dir / c.file_name
        atomic_write_text(path, document(c))
        written.append(path)
    if out_dir.is_dir():
        keep = set(written)
        for old in sorted(out_dir.iterdir()):
            # charts/*.png of evalkit 0.1.0, and charts of metrics no longer in the run
            stale = old.suffix in (".svg", ".png") and old not in keep
            if stale and not old.is_symlink() and old.is_file():
                remove(old)
    return written

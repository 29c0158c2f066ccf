"""The one chart renderer: a :class:`~evalkit.report.charts.Chart` as SVG.

The same drawing goes inline into report.html and, with an XML declaration and the SVG
namespace, into ``charts/*.svg`` beside report.md. Styles are presentation attributes
(no stylesheet, no script, no external reference), so a file looks the same opened on
its own, embedded in Markdown, or inline in the page. Every text is escaped and cleared
of characters XML cannot hold.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from evalkit.io import atomic_write_text
from evalkit.report import fmt
from evalkit.report.charts import Chart, nice_ticks, y_range
from evalkit.report.htmlkit import Markup, el, join

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

# Characters XML 1.0 cannot hold, even as references (C0 controls, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """``value`` as text XML can hold: forbidden characters become U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fit(text: str, width: float, size: float) -> str:
    """``text``, cut with an ellipsis to be at most ``width`` wide at font ``size``."""
    text = _short(text, 2 + int(width / (size * 0.5)))
    while text and text_width(text, size) > width:
        text = text[:-2] + "…"
    return text


def _pts(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{a:.1f},{b:.1f}" for a, b in points)


def text_width(text: str, size: float = 11) -> float:
    """Approximate drawn width of ``text``: wide (CJK) characters count double."""
    import unicodedata

    units = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.64 for ch in text)
    return units * size


def week_labels(n: int, slot: float, label_width: float = 58) -> list[int]:
    """Indexes of the weeks to label on an axis of ``n`` slots ``slot`` pixels wide: every
    ``step``-th from the first, and the last when it does not crowd its neighbour."""
    step = max(1, math.ceil(label_width / slot)) if slot > 0 else n
    out = list(range(0, n, step))
    if out and out[-1] != n - 1:
        if (n - 1 - out[-1]) * slot >= label_width:
            out.append(n - 1)
        elif len(out) > 1:
            out[-1] = n - 1  # the last week is labelled rather than the one before it
    return out


def legend_layout(labels: list[str], width: float) -> list[tuple[float, int]]:
    """``(x offset, row)`` of each legend item, wrapping at ``width``."""
    out, x, row = [], 0.0, 0
    for label in labels:
        w = 18 + text_width(label) + 16
        if x > 0 and x + w > width:
            x, row = 0.0, row + 1
        out.append((x, row))
        x += w
    return out


def render(c: Chart, *, standalone: bool = False) -> Markup:
    """``c`` as one ``<svg>`` element; ``standalone`` adds the namespace and a pixel size."""
    t = xml_text
    labels = [_short(s.label, LABEL_LIMIT) for s in c.series]
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
                t(_fit(c.title, WIDTH - 32 - text_width(sub, 13), 13)),
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
    widest = max(text_width(_short(w, 12)) for w in weeks) * 1.15 + 12
    for i in week_labels(len(weeks), pw / len(weeks), widest):
        label = _short(weeks[i], 12)
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
    from evalkit.errors import DataError

    if out_dir.is_symlink():
        raise DataError("is a symbolic link; charts are not written through it", path=out_dir)
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
                old.unlink()
    return written

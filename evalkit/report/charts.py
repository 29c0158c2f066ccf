"""The chart model: scores week by week with 95% CI bands, one chart per metric and pair.

A :class:`Chart` holds everything a chart shows (numbers, labels, which way is better)
and nothing about drawing it; :mod:`evalkit.report.svg` draws it, inline in report.html
and as ``charts/*.svg`` files beside report.md. One series per task field; the dashed
line of each series is its all-weeks score.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from evalkit.records import SliceScore
from evalkit.report import direction
from evalkit.report.model import RunView
from evalkit.runfiles import ALL_WEEKS
from evalkit.scorers.facts import MetricFacts

#: Longest file name stem of a chart file (metric and pair names are untrusted).
MAX_STEM = 96


@dataclass(frozen=True)
class Point:
    """One week's score of a series, with its 95% CI and segment count."""

    week: str
    score: float
    lo: float
    hi: float
    n: int


@dataclass(frozen=True)
class Series:
    """One task field over the weeks; ``total`` is its all-weeks score."""

    label: str
    points: tuple[Point, ...]
    total: float | None = None


@dataclass(frozen=True)
class Chart:
    """One metric of one language pair, week by week.

    Attributes:
        metric: The metric name (``ter``).
        label: Its label (``TER``).
        pair: The language pair (``en-ko``).
        better: ``higher``, ``lower`` or ``closer to 1``.
        marker: ``↑``, ``↓`` or ``→1`` (see :mod:`evalkit.report.direction`).
        target: The ideal value of a target metric (drawn as a line), else None.
        digits: Decimals of the metric's values.
        weeks: The x axis: the weeks this pair has scores for, in order.
        series: One per task field.
    """

    metric: str
    label: str
    pair: str
    better: str
    marker: str
    target: float | None
    digits: int
    weeks: tuple[str, ...]
    series: tuple[Series, ...]

    @property
    def title(self) -> str:
        """``BLEU · en-ko``."""
        return f"{self.label} · {self.pair}"

    @property
    def subtitle(self) -> str:
        """``higher is better``."""
        return f"{self.better} is better"

    @property
    def file_name(self) -> str:
        """``<metric>_<pair>.svg``, safe as one file name whatever the names hold."""
        return file_stem(self.metric, self.pair) + ".svg"


def file_stem(metric: str, pair: str) -> str:
    """``bleu_en-ko``; names with other characters get a hash, so two never collide."""
    raw = f"{metric}_{pair}"
    stem = re.sub(r"[^A-Za-z0-9._+-]+", "_", raw).lstrip(".")[:MAX_STEM]
    if stem != raw:
        stem += "-" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return stem


def chart(
    facts: MetricFacts, pair: str, series: list[Series], week_order: list[str]
) -> Chart | None:
    """A chart of ``series`` (those without points left out); None when nothing is left."""
    kept = tuple(s for s in series if s.points)
    if not kept:
        return None
    used = {p.week for s in kept for p in s.points}
    return Chart(
        metric=facts.name,
        label=facts.label,
        pair=pair,
        better=facts.better,
        marker=direction.marker(facts),
        target=facts.target if facts.direction == "target" else None,
        digits=facts.digits,
        weeks=tuple(w for w in week_order if w in used),
        series=kept,
    )


def _point(week: str, s: SliceScore | None) -> Point | None:
    if s is None or not math.isfinite(s.score):
        return None
    lo, hi = s.ci95 or (s.score, s.score)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = s.score, s.score
    return Point(week, s.score, lo, hi, s.n)


def build(view: RunView, facts: Mapping[str, MetricFacts] | None = None) -> list[Chart]:
    """The charts of a run, in metric then pair order."""
    facts = facts or direction.facts_of(view.metrics)
    out = []
    for metric, pair in view.series_keys:
        series = []
        for sl in view.slices:
            if sl[1] != pair:
                continue
            points = [_point(w, view.score(w, sl, metric)) for w in view.weeks]
            total = _point(ALL_WEEKS, view.score(ALL_WEEKS, sl, metric))
            label = sl[2] if sl[0] in ("translation", "summarization") else f"{sl[2]} ({sl[0]})"
            series.append(
                Series(
                    label,
                    tuple(p for p in points if p is not None),
                    total.score if total else None,
                )
            )
        c = chart(direction.lookup(facts, metric), pair, series, view.weeks)
        if c is not None:
            out.append(c)
    return out


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


def y_range(c: Chart) -> tuple[float, float]:
    """The value range of the y axis: every point, CI, total and target, padded."""
    values = [v for s in c.series for p in s.points for v in (p.lo, p.hi, p.score)]
    values += [s.total for s in c.series if s.total is not None]
    if c.target is not None:
        values.append(c.target)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or (abs(hi) * 0.1 or (0.05 if c.digits > 2 else 1.0))
    return lo - pad, hi + pad

"""PNG charts for Markdown reports, drawn with matplotlib (imported here only).

The files are byte-for-byte reproducible: the Agg backend, fixed size and fonts, and
no timestamp or software metadata.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.io import atomic_write_bytes

if TYPE_CHECKING:
    from evalkit.report.charts import Chart


def render(chart: Chart, path: Path) -> Path:
    """Draw ``chart`` into ``path`` (PNG, 1280x560 pixels) and return ``path``."""
    import io

    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    from evalkit.report import fmt
    from evalkit.report.charts import PALETTE, y_range

    weeks = chart.weeks
    pos = {w: i for i, w in enumerate(weeks)}
    with matplotlib.rc_context(
        {"font.family": "DejaVu Sans", "svg.hashsalt": "evalkit", "font.size": 10}
    ):
        fig = Figure(figsize=(6.4, 2.8), dpi=200)
        ax = fig.add_subplot()
        for k, s in enumerate(chart.series):
            color = PALETTE[k % len(PALETTE)]
            xs = [pos[p.week] for p in s.points]
            ax.fill_between(
                xs,
                [p.lo for p in s.points],
                [p.hi for p in s.points],
                color=color,
                alpha=0.18,
                linewidth=0,
            )
            if len(xs) == 1:
                p = s.points[0]
                ax.errorbar(
                    xs, [p.score], yerr=[[p.score - p.lo], [p.hi - p.score]], color=color, capsize=3
                )
            ax.plot(
                xs,
                [p.score for p in s.points],
                color=color,
                marker="o",
                markersize=4,
                linewidth=1.8,
                label=s.label,
            )
            if s.total is not None:
                ax.axhline(s.total, color=color, linestyle="--", linewidth=1, alpha=0.8)
        ax.set_xticks(range(len(weeks)))
        ax.set_xticklabels(
            weeks, rotation=30 if len(weeks) > 6 else 0, ha="right" if len(weeks) > 6 else "center"
        )
        ax.set_xlim(-0.5, len(weeks) - 0.5)
        ax.set_ylim(*y_range(chart))
        ax.set_ylabel(fmt.metric_label(chart.metric))
        ax.set_title(
            f"{fmt.metric_label(chart.metric)} · {chart.pair}  (band: 95% CI, dashed: all weeks)",
            fontsize=10,
            loc="left",
        )
        ax.grid(axis="y", color="#dddddd", linewidth=0.8)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="best", fontsize=8, frameon=False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    atomic_write_bytes(path, buf.getvalue())
    return path

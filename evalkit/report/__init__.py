"""Reports: per-run Markdown and HTML with charts, a leaderboard of runs, comparisons.

>>> from evalkit.report import write_run_reports, write_index, compare_runs
>>> write_run_reports(Path("results/runs/2024-05-01T120000-mysystem"))   # doctest: +SKIP

Importing this package is cheap; numpy is imported by the functions that need it.
Charts are SVG, drawn by :mod:`evalkit.report.svg` alone: inline in report.html and as
``charts/*.svg`` files that report.md links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

__all__ = ["compare_runs", "write_index", "write_run_reports"]

REPORT_MD = "report.md"
REPORT_HTML = "report.html"
CHARTS_DIR = "charts"


def write_run_reports(run_dir: str | Path) -> list[Path]:
    """Write ``report.md``, ``report.html`` and ``charts/*.svg`` into a run folder.

    Scores are read from ``run.json`` as they are (no metric is recomputed).

    Returns:
        The files written.

    Raises:
        DataError: if ``run_dir`` is not a readable run folder.
    """
    from evalkit.io import atomic_write_text, confine
    from evalkit.report import charts, direction, html, markdown, svg
    from evalkit.report.model import RunView
    from evalkit.runfiles import load_run

    run_dir = Path(run_dir)
    view = RunView(load_run(run_dir))
    facts = direction.facts_of(view.metrics)
    chart_list = charts.build(view, facts)
    with confine(run_dir):  # a link planted in the run folder is refused, not followed
        written = svg.write_files(chart_list, run_dir / CHARTS_DIR)
        md = markdown.render(view, charts_dir=CHARTS_DIR, chart_list=chart_list, facts=facts)
        page = html.render(view, chart_list=chart_list, facts=facts)
        atomic_write_text(run_dir / REPORT_MD, _plain(md))
        atomic_write_text(run_dir / REPORT_HTML, _plain(page))
    return [run_dir / REPORT_MD, run_dir / REPORT_HTML, *written]


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    """``text`` without control characters (terminal escapes in a summary, NUL) and lone
    surrogates (JSON can carry them, UTF-8 cannot): each becomes U+FFFD."""
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return _CONTROL.sub("\ufffd", text)


def write_index(results_dir: str | Path) -> list[Path]:
    """Write ``index.html`` and ``index.md``: a leaderboard of every run under ``results_dir/runs``.

    Returns:
        The files written.
    """
    from evalkit.io import confine
    from evalkit.report.index import write

    with confine(results_dir):
        return write(Path(results_dir))


def compare_runs(
    run_dirs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    n_resamples: int | None = None,
    seed: int | None = None,
    method: str = "bs",
) -> list[Path]:
    """Compare runs of several systems on the same examples; write the comparison to ``out_dir``.

    Args:
        run_dirs: Two or more run folders; the first is the baseline of every difference.
        out_dir: Where ``comparison.md``, ``comparison.html`` and ``comparison.json`` go.
        n_resamples: Bootstrap resamples or randomization trials (None: 1,000 or 10,000).
        seed: Seed of the paired test (default: the first run's bootstrap seed, else 12345).
        method: ``bs`` (paired bootstrap) or ``ar`` (approximate randomization).

    Raises:
        IncomparableError: if the runs differ in dataset or example set.
    """
    from evalkit.report.compare import write

    return write(
        [Path(d) for d in run_dirs],
        Path(out_dir),
        n_resamples=n_resamples,
        seed=seed,
        method=method,
    )

"""Reports: per-run Markdown and HTML with charts, a leaderboard of runs, comparisons.

>>> from evalkit.report import write_run_reports, write_index, compare_runs
>>> write_run_reports(Path("results/runs/2024-05-01T120000-mysystem"))   # doctest: +SKIP

Importing this package is cheap; numpy and matplotlib are imported by the functions
that need them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["compare_runs", "write_index", "write_run_reports"]

REPORT_MD = "report.md"
REPORT_HTML = "report.html"
CHARTS_DIR = "charts"


def write_run_reports(run_dir: str | Path) -> list[Path]:
    """Write ``report.md``, ``report.html`` and ``charts/*.png`` into a run folder.

    Scores are read from ``run.json`` as they are (no metric is recomputed).

    Returns:
        The files written.

    Raises:
        DataError: if ``run_dir`` is not a readable run folder.
    """
    from evalkit.io import atomic_write_text, confine
    from evalkit.report import charts, html, markdown
    from evalkit.report.model import RunView
    from evalkit.runfiles import load_run

    run_dir = Path(run_dir)
    view = RunView(load_run(run_dir))
    with confine(run_dir):  # a link planted in the run folder is refused, not followed
        written = charts.write_pngs(view, run_dir / CHARTS_DIR)
        atomic_write_text(run_dir / REPORT_MD, markdown.render(view, charts_dir=CHARTS_DIR))
        atomic_write_text(run_dir / REPORT_HTML, html.render(view))
    return [run_dir / REPORT_MD, run_dir / REPORT_HTML, *written]


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

"""``results/index.html`` and ``index.md``: a leaderboard of every run under ``results/runs``.

Newest week first, then all weeks; within a week, one ranking per task, pair and field
by the first metric. Only run.json is read (segments are not needed here).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from evalkit.errors import DataError
from evalkit.report import fmt
from evalkit.report.htmlkit import Markup, anchor, el, join, page, table
from evalkit.report.model import RunView, Slice, slice_sort_key
from evalkit.run_folder import ALL_WEEKS, RUNS_DIR, load_run, run_folders

INDEX_MD = "index.md"
INDEX_HTML = "index.html"


@dataclass
class Board:
    views: list[RunView]
    broken: list[tuple[str, str]]
    metrics: list[str]
    weeks: list[str]  # newest first, then "all"
    digits: dict[str, int]

    def ranked(self, week: str, sl: Slice) -> list[tuple[int, RunView]]:
        """``(rank, run)`` with a score for ``sl`` in ``week``, best first by the first metric
        they all have; equal scores share a rank."""
        views = [v for v in self.views if any(v.score(week, sl, m) for m in self.metrics)]
        metric = next((m for m in self.metrics if all(v.score(week, sl, m) for v in views)), None)
        if metric is None:
            return [(i, v) for i, v in enumerate(views, start=1)]
        sign = -1.0 if fmt.higher_is_better(metric) else 1.0

        def value(v: RunView) -> float:
            s = v.score(week, sl, metric)
            return sign * s.score if s else 0.0

        out: list[tuple[int, RunView]] = []
        for i, v in enumerate(sorted(views, key=lambda v: (value(v), v.run_id)), start=1):
            tied = out and value(out[-1][1]) == value(v)
            out.append((out[-1][0] if tied else i, v))
        return out

    def slices(self, week: str) -> list[Slice]:
        return sorted({sl for v in self.views for sl in v.slices_in(week)}, key=slice_sort_key)


def collect(results_dir: Path) -> Board:
    views, broken = [], []
    for folder in run_folders(results_dir):
        try:
            views.append(RunView(load_run(folder, segments=False)))
        except DataError as exc:  # one unreadable run must not hide the others
            print(f"evalkit: warning: skipping a run in the index: {exc}", file=sys.stderr)
            broken.append((folder.name, str(exc)))
    views.sort(key=lambda v: (v.record.created, v.run_id), reverse=True)
    metrics: list[str] = []
    for v in views:
        metrics += [m for m in v.metrics if m not in metrics]
    weeks = sorted({w for v in views for w in v.weeks}, reverse=True) + [ALL_WEEKS]
    digits = {m: fmt.metric_digits(m) for m in metrics}
    return Board(views, broken, metrics, weeks, digits)


def _href(view: RunView, results_dir: Path, name: str) -> str | None:
    return (
        f"{RUNS_DIR}/{quote(view.run.path.name)}/{name}"
        if (view.run.path / name).is_file()
        else None
    )


def _title(week: str) -> str:
    return "All weeks" if week == ALL_WEEKS else f"Week {week}"


def markdown(board: Board, results_dir: Path) -> str:
    out = [
        "# evalkit leaderboard",
        "",
        f"{len(board.views)} runs under `{RUNS_DIR}/`, newest week first.",
        "",
    ]
    rows = []
    for v in board.views:
        href = _href(v, results_dir, "report.md")
        name = f"[{fmt.md_text(v.run_id)}]({href})" if href else fmt.md_text(v.run_id)
        rows.append(
            [
                name,
                fmt.md_text(v.system_name()),
                fmt.md_text(v.record.created),
                fmt.md_text(v.record.status),
                fmt.md_code(v.record.dataset.fingerprint, in_table=True),
            ]
        )
    out += [
        "## Runs",
        "",
        fmt.md_table(["run", "system", "created", "status", "dataset"], rows),
        "",
    ]
    for name, err in board.broken:
        out += [f"- unreadable: {fmt.md_text(name)}: {fmt.md_text(err)}"]
    for week in board.weeks:
        slices = board.slices(week)
        if not slices:
            continue
        out += [f"## {fmt.md_text(_title(week))}", ""]
        header = ["slice", "#", "run", "system"] + [
            fmt.md_text(fmt.metric_label(m)) for m in board.metrics
        ]
        body = []
        for sl in slices:
            for rank, v in board.ranked(week, sl):
                cells = [
                    fmt.md_text(fmt.slice_label(*sl)),
                    str(rank),
                    fmt.md_text(v.run_id),
                    fmt.md_text(v.system_name()),
                ]
                for m in board.metrics:
                    s = v.score(week, sl, m)
                    cells.append(fmt.num(s.score, board.digits.get(m, 2)) if s else "–")
                body.append(cells)
        out += [
            fmt.md_table(header, body, align=["l", "r", "l", "l"] + ["r"] * len(board.metrics)),
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def html(board: Board, results_dir: Path) -> str:
    def run_link(v: RunView) -> Markup:
        href = _href(v, results_dir, "report.html")
        return el("a", v.run_id, href=href) if href else el("span", v.run_id)

    run_rows = [
        [
            run_link(v),
            v.system_name(),
            v.record.created,
            v.record.status,
            el("td", el("code", v.record.dataset.fingerprint)),
        ]
        for v in board.views
    ]
    parts: list[Any] = [
        el(
            "header",
            el("h1", "evalkit leaderboard"),
            el(
                "p",
                f"{len(board.views)} runs, newest week first. Ranked by the first metric.",
                class_="hint",
            ),
        ),
        el(
            "section",
            el("h2", "Runs"),
            table(["run", "system", "created", "status", "dataset"], run_rows),
            id="runs",
        ),
    ]
    parts += [
        el("p", "Unreadable run ", el("code", name), ": ", err, class_="warn")
        for name, err in board.broken
    ]
    nav = [el("a", "Runs", href="#runs")]
    header = ["slice", "#", "run", "system", *(fmt.metric_label(m) for m in board.metrics)]
    for week in board.weeks:
        slices = board.slices(week)
        if not slices:
            continue
        wid = "all-weeks" if week == ALL_WEEKS else anchor("week", week)
        nav.append(el("a", "All weeks" if week == ALL_WEEKS else week, href="#" + wid))
        body = []
        for sl in slices:
            for rank, v in board.ranked(week, sl):
                cells: list[Any] = [
                    fmt.slice_label(*sl),
                    el("td", rank, class_="num"),
                    run_link(v),
                    v.system_name(),
                ]
                for m in board.metrics:
                    s = v.score(week, sl, m)
                    cells.append(
                        el(
                            "td",
                            fmt.num(s.score, board.digits.get(m, 2)),
                            class_="num",
                            data_value=repr(s.score),
                        )
                        if s
                        else el("td", "–", class_="num")
                    )
                body.append(cells)
        parts.append(
            el("section", el("h2", _title(week)), table(header, body), id=wid, data_week=week)
        )
    return page("evalkit leaderboard", el("main", join(parts)), nav=join(nav))


def write(results_dir: Path) -> list[Path]:
    from evalkit.io import atomic_write_text

    board = collect(results_dir)
    atomic_write_text(results_dir / INDEX_MD, markdown(board, results_dir))
    atomic_write_text(results_dir / INDEX_HTML, html(board, results_dir))
    return [results_dir / INDEX_MD, results_dir / INDEX_HTML]

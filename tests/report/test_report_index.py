"""The leaderboard over results/runs and the ``evalkit report`` command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import report_helpers as h

from evalkit.cli import main
from evalkit.report import write_index, write_run_reports


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("index")
    runs = tmp_path / "results" / "runs"
    a = h.make_run(runs, "2024-01-01-run-a", system_spec={"name": h.XSS, "kind": "python"})
    b = h.make_run(
        runs, "2024-01-02-run-b", lambda ex, i: ex["reference"], system_spec={"name": "oracle"}
    )
    for d, created in ((a, "2024-01-01T00:00:00Z"), (b, "2024-01-02T00:00:00Z")):
        meta = json.loads((d / "run.json").read_text(encoding="utf-8"))
        meta["created"] = created
        (d / "run.json").write_text(json.dumps(meta), encoding="utf-8")
        write_run_reports(d)
    (runs / "not-a-run").mkdir()
    return tmp_path / "results"


def test_index_ranks_runs_newest_week_first_and_links_reports(results):
    written = write_index(results)
    assert [p.name for p in written] == ["index.md", "index.html"]
    md = (results / "index.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings == ["Runs", "Week 2023-W43", "Week 2023-W42", "Week 2023-W41", "All weeks"]
    assert "[2024-01-02-run-b](runs/2024-01-02-run-b/report.md)" in md
    assert md.index("2024-01-02-run-b") < md.index("2024-01-01-run-a")  # newest run first
    tables = h.md_tables(md)
    rows = [r for r in tables["Week 2023-W43"] if r["slice"] == "en-ko title"]
    assert [(r["#"], r["run"]) for r in rows] == [
        ("1", "2024-01-02-run-b"),
        ("2", "2024-01-01-run-a"),
    ]
    meta = json.loads(
        (results / "runs" / "2024-01-01-run-a" / "run.json").read_text(encoding="utf-8")
    )
    s = next(
        x
        for x in meta["scores"]
        if (x["week"], x["pair"], x["field"], x["metric"])
        == ("2023-W43", "en-ko", "title", "tcharf")
    )
    assert rows[1]["tcharf"] == f"{s['score']:.2f}"

    page = (results / "index.html").read_text(encoding="utf-8")
    assert (
        'href="runs/2024-01-01-run-a/report.html"' in page
        and 'href="runs/2024-01-02-run-b/report.html"' in page
    )
    assert "<script" not in page.lower() and "&lt;script&gt;" in page
    assert f'data-value="{float(s["score"])!r}"' in page
    order = re.findall(r'<section id="([^"]+)"', page)
    assert order == ["runs", "week-2023-w43", "week-2023-w42", "week-2023-w41", "all-weeks"]


def test_index_skips_an_unreadable_run(results):
    import shutil

    broken = results / "runs" / "broken"
    broken.mkdir()
    (broken / "run.json").write_text("{not json", encoding="utf-8")
    try:
        write_index(results)
        assert "Unreadable run" in (results / "index.html").read_text(encoding="utf-8")
        assert "2024-01-01-run-a" in (results / "index.md").read_text(encoding="utf-8")
    finally:
        shutil.rmtree(broken)


def test_cli_regenerates_a_run_by_id_and_refreshes_the_index(results, capsys):
    run = results / "runs" / "2024-01-01-run-a"
    (run / "report.html").unlink()
    assert main(["report", "2024-01-01-run-a", "--results", str(results), "--index"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert str(run / "report.html") in out and str(results / "index.html") in out
    assert (run / "report.html").is_file()


def test_cli_compares_into_default_folder(results, capsys):
    runs = results / "runs"
    assert main(["report", str(runs / "2024-01-01-run-a"), str(runs / "2024-01-02-run-b")]) == 0
    out = Path(capsys.readouterr().out.splitlines()[0])
    assert (
        out.parent == (results / "comparisons" / "2024-01-01-run-a_vs_2024-01-02-run-b").resolve()
    )
    assert out.name == "comparison.md" and out.is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report"], "give a run to report"),
        (["report", "no-such-run"], "no run 'no-such-run'"),
        (["report", "../escape"], "no run '../escape'"),
    ],
)
def test_cli_usage_errors_exit_2_with_one_line(tmp_path, capsys, argv, message):
    assert main([*argv, "--results", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err


def test_cli_help_does_not_import_numpy_or_matplotlib():
    import subprocess
    import sys

    code = (
        "import sys; import evalkit.report; from evalkit.cli import main\n"
        "try:\n    main(['report', '--help'])\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in ('numpy', 'matplotlib', 'evalkit.report.html') if m in sys.modules]\n"
        "print('HEAVY', bad)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert "HEAVY []" in proc.stdout
    assert "compare" in proc.stdout and "--index" in proc.stdout


def test_equal_scores_share_a_rank(tmp_path):
    runs = tmp_path / "results" / "runs"
    h.make_run(runs, "twin-1")
    h.make_run(runs, "twin-2")
    write_index(tmp_path / "results")
    rows = h.md_tables((tmp_path / "results" / "index.md").read_text(encoding="utf-8"))["All weeks"]
    assert {r["#"] for r in rows} == {"1"} and len(rows) == 8

"""Per-run reports: numbers equal run.json, text is escaped, the page is self-contained."""

from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import report_helpers as h

from evalkit.report import direction, write_run_reports
from evalkit.report.fmt import md_text
from evalkit.scorers.facts import metric_facts

SVG_NS = "{http://www.w3.org/2000/svg}"


def _digits(metrics) -> dict[str, int]:
    return {m: metric_facts(m).digits for m in metrics}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    def system(ex, i):
        if ex["id"] == "2023-W42-paper-1/title/en-ko":
            return h.XSS
        return h.default_system(ex, i)

    root = tmp_path_factory.mktemp("runs")
    d = h.make_run(
        root, "run-xss", system, system_spec={"name": "<b>sys</b>", "kind": "python", "x": h.XSS}
    )
    write_run_reports(d)
    return d


def _meta(run_dir: Path) -> dict:
    return json.loads((run_dir / "run.json").read_text(encoding="utf-8"))


def test_writes_report_files_and_svg_charts(run_dir):
    import xml.etree.ElementTree as ET

    assert (run_dir / "report.md").is_file() and (run_dir / "report.html").is_file()
    files = sorted(p.name for p in (run_dir / "charts").iterdir())
    assert files == sorted(f"{m}_{p}.svg" for m in h.METRICS for p in ("en-ja", "en-ko"))
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    for name in files:
        text = (run_dir / "charts" / name).read_text(encoding="utf-8")
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
        root = ET.fromstring(text.encode("utf-8"))  # well-formed XML
        assert root.tag == f"{SVG_NS}svg"
        assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
        assert root.find(f"{SVG_NS}title") is not None
        assert root.findall(f".//{SVG_NS}circle"), name  # the points are drawn
        assert "href" not in text and "<script" not in text and "<style" not in text
        assert f"](charts/{name})" in md


def test_html_inlines_the_same_drawing_as_the_chart_files(run_dir):
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    for path in sorted((run_dir / "charts").glob("*.svg")):
        text = path.read_text(encoding="utf-8").split("\n", 1)[1].strip()
        standalone = f' xmlns="http://www.w3.org/2000/svg" width="680" height="{_height(text)}"'
        assert text.replace(standalone, "", 1) in page, path.name


def _height(svg_text: str) -> str:
    return re.search(r' height="(\d+)"', svg_text).group(1)


def test_headers_say_which_way_is_better(run_dir):
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    assert "| task | pair | field | tcharf ↑ | tlenerr ↓ | trouge ↑ | n |" in md
    assert "Better: ↑ higher is better · ↓ lower is better." in md
    assert "![tlenerr · en-ko (lower is better)](charts/tlenerr_en-ko.svg)" in md
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    assert (
        '<th data-metric="tlenerr" data-better="lower" title="lower is better">tlenerr'
        ' <span class="better" title="lower is better">↓</span></th>'
    ) in page
    svg = (run_dir / "charts" / "tlenerr_en-ko.svg").read_text(encoding="utf-8")
    assert "lower is better" in svg


def test_html_numbers_equal_run_json(run_dir):
    meta = _meta(run_dir)
    digits = _digits(h.METRICS)
    assert digits == {"tcharf": 2, "tlenerr": 2, "trouge": 4}  # declared on the test scorers
    expected = {
        (s["week"], s["task"], s["pair"], s["field"], s["metric"]): s for s in meta["scores"]
    }
    cells = h.html_score_cells((run_dir / "report.html").read_text(encoding="utf-8"))
    seen = set()
    for week, task, pair, fld, attrs, text in cells:
        metric = attrs.get("data-metric")
        if metric is None:  # the n column
            continue
        s = expected[(week, task, pair, fld, metric)]
        assert float(attrs["data-value"]) == s["score"]
        assert [float(attrs["data-lo"]), float(attrs["data-hi"])] == s["ci95"]
        d = digits[metric]
        assert text == f"{s['score']:.{d}f} [{s['ci95'][0]:.{d}f}, {s['ci95'][1]:.{d}f}]"
        assert int(attrs["data-n"]) == s["n"]
        seen.add((week, task, pair, fld, metric))
    assert seen == set(expected)


def test_markdown_numbers_equal_run_json(run_dir):
    meta = _meta(run_dir)
    digits = _digits(h.METRICS)
    header = {m: direction.header(metric_facts(m)) for m in h.METRICS}
    tables = h.md_tables((run_dir / "report.md").read_text(encoding="utf-8"))
    checked = 0
    for s in meta["scores"]:
        heading = "All weeks" if s["week"] == "all" else f"Week {s['week']}"
        rows = [
            r
            for r in tables[heading]
            if (r.get("task"), r.get("pair"), r.get("field")) == (s["task"], s["pair"], s["field"])
        ]
        assert len(rows) == 1, (heading, s)
        d = digits[s["metric"]]
        assert (
            rows[0][header[s["metric"]]]
            == f"{s['score']:.{d}f} [{s['ci95'][0]:.{d}f}, {s['ci95'][1]:.{d}f}]"
        )
        assert rows[0]["n"] == str(s["n"])
        checked += 1
    assert checked == len(meta["scores"]) == 3 * 4 * 4


def test_weeks_newest_first_with_navigation(run_dir):
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    ids = re.findall(r'<section id="(week-[^"]+)"', page)
    assert ids == ["week-2023-w43", "week-2023-w42", "week-2023-w41"]
    nav = page[page.index('<nav class="topnav">') : page.index("</nav>")]
    for anchor in ids + ["all-weeks", "charts", "provenance"]:
        assert f'href="#{anchor}"' in nav and f'id="{anchor}"' in page
    assert "2023-10-16 – 2023-10-22" in page
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    assert (
        md.index("## Week 2023-W43") < md.index("## Week 2023-W42") < md.index("## Week 2023-W41")
    )
    assert "(#week-2023-w42)" in md and '<a id="week-2023-w42"></a>' in md


def test_untrusted_text_is_escaped(run_dir):
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    assert "<script" not in md.lower() and "<img" not in md.lower() and "<b>" not in md
    assert md_text(h.XSS) in md  # the worst segment shows the output as text


def test_html_is_self_contained(run_dir):
    page = (run_dir / "report.html").read_text(encoding="utf-8")

    class Refs(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags: list[str] = []
            self.refs: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            for name, value in attrs:
                if (
                    name in ("src", "href", "srcset", "data", "action", "xlink:href", "poster")
                    and value
                ):
                    self.refs.append(value)

    parser = Refs()
    parser.feed(page)
    assert "script" not in parser.tags and "link" not in parser.tags and "iframe" not in parser.tags
    assert all(r.startswith("#") for r in parser.refs), parser.refs
    assert not re.search(r"https?://", page)
    assert "@import" not in page and "url(" not in page
    assert parser.tags.count("svg") == len(h.METRICS) * 2
    assert "Content-Security-Policy" in page


def test_worst_segments_lowest_first(run_dir):
    segs = [
        json.loads(line)
        for line in (run_dir / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    week = md[md.index("## Week 2023-W42") : md.index("## Week 2023-W41")]
    ko = week[week.index("#### en-ko") :]
    rows = [
        line
        for line in ko.splitlines()
        if line.startswith("| ") and not line.startswith("| tcharf ↑ |")
    ]
    lowest = sorted(
        (s["scores"]["tcharf"], s["id"])
        for s in segs
        if s["week"] == "2023-W42" and s["pair"] == "en-ko"
    )[:3]
    assert [r.split(" | ")[0].strip("| ") for r in rows] == [f"{v:.2f}" for v, _ in lowest]
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "<del" in page and "<ins" in page


def test_footer_has_signatures_fingerprint_spec_version(run_dir):
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    for text in ("tcharf|lang:ko|version:test", "fp-test-0001", "0.1.0"):
        assert text in page
    assert "`tcharf\\|lang:ko\\|version:test`" in md and "`fp-test-0001`" in md
    assert "&quot;kind&quot;: &quot;python&quot;" in page and '"kind": "python"' in md


def test_reports_are_deterministic(run_dir, tmp_path):
    import shutil

    copy = tmp_path / "run-xss"
    shutil.copytree(run_dir, copy)
    write_run_reports(copy)
    for name in ("report.md", "report.html", "charts/tcharf_en-ko.svg"):
        assert (copy / name).read_bytes() == (run_dir / name).read_bytes(), name


def test_lower_is_better_metric_ranks_highest_as_worst(tmp_path):
    from evalkit.report.model import RunView
    from evalkit.runfiles import load_run

    d = h.make_run(tmp_path, "run-ter", metrics=("tlenerr",))
    view = RunView(load_run(d))
    assert view.segment_metric == "tlenerr"
    for group in view.worst("2023-W41"):
        values = [s.scores["tlenerr"] for s in group.segments]
        others = [
            s.scores["tlenerr"]
            for s in load_run(d).segments
            if s.week == "2023-W41" and s.pair == group.pair
        ]
        assert values == sorted(others, reverse=True)[:3]


def test_partial_run_is_flagged(tmp_path):
    d = h.make_run(tmp_path, "run-partial")
    meta = _meta(d)
    meta["status"] = "partial"
    meta["failures"] = [{"ids": ["a", "b"], "error": "timeout"}]
    (d / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    write_run_reports(d)
    assert "Partial run: 2 examples failed" in (d / "report.html").read_text(encoding="utf-8")
    assert "**Partial run**: 2 examples failed" in (d / "report.md").read_text(encoding="utf-8")


def test_not_a_run_folder_is_a_one_line_error(tmp_path):
    from evalkit.errors import DataError

    with pytest.raises(DataError, match="not a run folder"):
        write_run_reports(tmp_path)


def test_chart_axis_lists_only_the_weeks_of_its_pair(tmp_path):
    """A pair missing from a week (here en-ja in the first week) has no empty slot there."""
    from evalkit.report import charts
    from evalkit.report.model import RunView
    from evalkit.run_folder import load_run, write_run
    from evalkit.slices import score_slices

    first = sorted(h.WEEKS)[0]
    d = h.make_run(tmp_path, "run-gap")
    run = load_run(d)
    kept = [s for s in run.segments if not (s.week == first and s.pair == "en-ja")]
    assert len(kept) < len(run.segments)
    scores = score_slices(kept, list(h.METRICS), n_resamples=50, seed=12345)
    write_run(d, dataclasses.replace(run.record, scores=tuple(scores)), kept)
    built = {(c.metric, c.pair): c for c in charts.build(RunView(load_run(d)))}
    assert built, "no charts"
    for (_, pair), chart in built.items():
        expected = sorted(h.WEEKS) if pair == "en-ko" else sorted(h.WEEKS)[1:]
        assert sorted(chart.weeks) == expected
        assert {pt.week for s in chart.series for pt in s.points} == set(chart.weeks)
    write_run_reports(d)  # the report is still written with the gap
    assert (d / "report.html").is_file() and (d / "charts" / "trouge_en-ja.svg").is_file()


def test_evalkit_run_imports_no_matplotlib(tmp_path):
    """``evalkit run`` with reports, in a fresh process: the charts need no plotting library."""
    import os
    import subprocess
    import sys

    from helpers import REPO

    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "evalkit", "run", "--system", "reference"]
        + ["--results", str(tmp_path / "results"), "--fields", "title", "--resamples", "50"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "evalkit.report.svg" in imported  # the reports were written by this process
    assert not {m for m in imported if m.split(".")[0] in ("matplotlib", "PIL")}
    (run_dir,) = (tmp_path / "results" / "runs").iterdir()
    assert sorted(p.suffix for p in (run_dir / "charts").iterdir()) == [".svg"] * 10


def test_charts_are_never_written_through_a_link(tmp_path):
    """A link planted at charts/ or at a chart file is refused (one line naming it) and
    carries no write outside the run: the rule of the one confined write path."""
    from evalkit.errors import DataError

    d = h.make_run(tmp_path / "runs", "run-link")
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (d / "charts").symlink_to(outside, target_is_directory=True)
    with pytest.raises(DataError, match="charts is a symbolic link"):
        write_run_reports(d)
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    (d / "charts").unlink()
    (d / "charts").mkdir()
    (d / "charts" / "tcharf_en-ko.svg").symlink_to(victim)
    with pytest.raises(DataError, match="tcharf_en-ko.svg"):
        write_run_reports(d)
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert (d / "charts" / "tcharf_en-ko.svg").is_symlink()  # left for the user to look at


def test_stale_charts_are_removed(tmp_path):
    """PNG charts of 0.1.0 and charts of metrics no longer in the run go; other files stay."""
    d = h.make_run(tmp_path, "run-stale")
    (d / "charts").mkdir()
    for name in ("bleu_en-ko.png", "gone_en-ko.svg", "notes.txt"):
        (d / "charts" / name).write_text("x", encoding="utf-8")
    write_run_reports(d)
    names = {p.name for p in (d / "charts").iterdir()}
    assert "notes.txt" in names and not names & {"bleu_en-ko.png", "gone_en-ko.svg"}
    assert len(names) == 1 + len(h.METRICS) * 2

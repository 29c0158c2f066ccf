"""Hostile names in a run: a plugin metric, a system, a run id and a week label that carry
Markdown, HTML, ANSI codes and characters XML cannot hold. Every report escapes them for
its medium: report.md, report.html and the standalone chart files."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import report_helpers as h

from evalkit.report import write_run_reports
from evalkit.report.fmt import md_text
from evalkit.scorers import SCORERS
from evalkit.scorers.facts import metric_facts

METRIC = "m|x<img src=x onerror=alert(1)>`*_[a](javascript:alert(2))\x1b[31m"
SYSTEM = "sys</details><h1>FAKE PASS</h1>|*"
RUN_ID = "run|<script>alert(3)</script>\x1b]0;title\x07"
WEEK = "2023-W43<img src=y>|**bold**\x00"
SVG_NS = "{http://www.w3.org/2000/svg}"


class HostileMetric(h.CharF):
    """A plugin scorer whose name is an attack on every medium it is shown in."""

    name = METRIC
    label = METRIC
    direction = "target"
    target = 50.0
    display_digits = 3


def _rename_week(value: str) -> str:
    return WEEK if value == "2023-W43" else value


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    h.register()
    SCORERS.register(METRIC, f"{__name__}:HostileMetric")
    root = tmp_path_factory.mktemp("hostile")
    d = h.make_run(
        root, "run-hostile", metrics=("tcharf", METRIC), system_spec={"name": SYSTEM, "kind": "x"}
    )
    meta = json.loads((d / "run.json").read_text(encoding="utf-8"))
    meta["run_id"] = RUN_ID
    for s in meta["scores"]:
        s["week"] = _rename_week(s["week"])
    meta["dataset"]["weeks"] = {_rename_week(w): v for w, v in meta["dataset"]["weeks"].items()}
    (d / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    segs = [json.loads(line) for line in (d / "segments.jsonl").read_text("utf-8").splitlines()]
    for seg in segs:
        seg["week"] = _rename_week(seg["week"])
    (d / "segments.jsonl").write_text("".join(json.dumps(s) + "\n" for s in segs), "utf-8")
    write_run_reports(d)
    return d


def _shown(name: str) -> str:
    """``name`` as the reports show it: control characters replaced."""
    return re.sub("[\x00-\x1f]", "\ufffd", name)


def _cells(line: str) -> list[str]:
    """Cells of a GitHub table row: split at pipes that are not backslash-escaped."""
    return re.split(r"(?<!\\)\|", line.strip().strip("|"))


def test_markdown_escapes_metric_system_run_and_week(run_dir):
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", md)  # no terminal escapes
    assert f"`{_shown(RUN_ID)}`" in md  # code spans show their text literally
    prose = re.sub(r"`[^`\n]*`", "", md)
    for raw in ("<img", "<h1", "<script", "**bold**"):
        assert raw not in prose, raw
    assert not re.search(r"(?<!\\)\]\(javascript", prose)  # no link: its brackets escaped
    assert "\\*\\*bold\\*\\*" in prose
    facts = metric_facts(METRIC)
    assert facts.label == METRIC and facts.better == "closer to 50"
    header = _shown(md_text(f"{METRIC} →50"))
    assert f"| task | pair | field | tcharf ↑ | {header} | n |" in md
    # every row of every table has as many cells as its header
    width = None
    for line in md.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        if width is None:
            width = len(_cells(line))
        assert len(_cells(line)) == width, line


def test_html_escapes_metric_system_run_and_week(run_dir):
    page = (run_dir / "report.html").read_text(encoding="utf-8")

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.text: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            self.text.append(data)

    parser = Tags()
    parser.feed(page)
    assert "img" not in parser.tags and "script" not in parser.tags
    assert parser.tags.count("h1") == 1
    text = "".join(parser.text)
    for name in (METRIC, SYSTEM, RUN_ID, WEEK):
        assert _shown(name) in text, name


def test_chart_files_are_valid_xml_with_the_names_as_text(run_dir):
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    files = sorted((run_dir / "charts").iterdir())
    assert len(files) == 4 and all(p.suffix == ".svg" and p.parent.name == "charts" for p in files)
    hostile = [p for p in files if not p.name.startswith("tcharf_")]
    assert len(hostile) == 2 and all(re.fullmatch(r"[A-Za-z0-9._+-]+", p.name) for p in hostile)
    for path in files:
        assert f"(charts/{path.name})" in md
        root = ET.fromstring(path.read_bytes())  # raises on a control character or bad markup
        assert root.tag == f"{SVG_NS}svg"
        texts = "".join(root.itertext())
        assert "2023-W43<img src=y>|**bold**\ufffd" in texts  # the week, as text
        if path in hostile:
            assert METRIC.replace("\x1b", "\ufffd") in texts
            assert "closer to 50 is better" in texts and "target 50" in texts
        assert not root.findall(f".//{SVG_NS}script") and not root.findall(f".//{SVG_NS}image")

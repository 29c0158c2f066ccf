"""The gate never passes what it did not check (issue 17), nor prints what it was handed raw.

A corrupt baseline is one line naming the file and the key, exit 2, in every output CI
reads; untrusted text from a baseline never reaches a terminal, a step summary or JUnit
as markup or control sequences.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from check_helpers import noisy, write_run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit import baseline
from evalkit.cli import main
from evalkit.errors import DataError


@pytest.fixture(autouse=True)
def _no_step_summary(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture(scope="module")
def same_run(tmp_path_factory, examples) -> Path:
    return write_run(tmp_path_factory.mktemp("safety") / "same", examples, noisy())


def _edited(baseline_file: Path, tmp_path: Path, edit) -> Path:
    data = json.loads(baseline_file.read_text(encoding="utf-8"))
    edit(data)
    out = tmp_path / "edited.json"
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def _set_stat(value: Any):
    def edit(d: dict) -> None:
        d["stats"]["t_wer"][5][0] = value

    return edit


CORRUPT = [
    ("stats-empty", lambda d: d.update(stats={}), "stats.t_meanf1: missing"),
    ("stats-ter-deleted", lambda d: d["stats"].pop("t_wer"), "stats.t_wer: missing"),
    ("huge-stat", _set_stat(1e308), "is out of range for a statistic"),
    ("nan-stat", _set_stat(float("nan")), "nan is not a finite number"),
    ("string-stat", _set_stat("3"), "'3' is not a finite number"),
    ("seed-x", lambda d: d["bootstrap"].update(seed="x"), "bootstrap.seed: 'x' is not an integer"),
    ("no-metrics", lambda d: d.update(metrics={}, stats={}), "no metric"),
    ("no-examples", lambda d: d["examples"].update(ids=[], slice=[], texts=[]), "no example"),
]


@pytest.mark.parametrize(("name", "edit", "message"), CORRUPT, ids=[c[0] for c in CORRUPT])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_corrupt_baseline_exits_2_naming_file_and_key(
    tmp_path, baseline_file, same_run, capsys, monkeypatch, name, edit, message, fmt
):
    bad = _edited(baseline_file, tmp_path, edit)
    summary, junit = tmp_path / "summary.md", tmp_path / "check.xml"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    args = ["check", "--baseline", str(bad), "--run", str(same_run), "--format", fmt]
    assert main([*args, "--junit", str(junit)]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in captured.err
    assert str(bad) in err and message in err
    if fmt == "json":
        report = json.loads(captured.out)
        assert report["exit_code"] == 2 and report["status"] == "error"
        assert message in report["error"]
    assert "PASS" not in summary.read_text(encoding="utf-8")
    assert ET.parse(junit).getroot().find("testsuite/testcase/error") is not None


def test_non_finite_statistics_are_refused_when_saving(tmp_path, examples):
    run = write_run(tmp_path / "run", examples[:8], noisy())
    lines = (run / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    seg = json.loads(lines[3])
    seg["stats"]["t_wer"][0] = float("inf")
    lines[3] = json.dumps(seg)
    (run / "segments.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # refused where it is first read: by the run reader, else by the baseline's validation
    with pytest.raises(DataError, match=r"stats\.t_wer\[\d+\].*inf|stats\.t_wer.*got inf") as info:
        baseline.save(run, tmp_path / "b.json")
    assert str(run) in str(info.value) and "\n" not in str(info.value)
    assert not (tmp_path / "b.json").exists()


def test_run_with_huge_statistics_cannot_pass(tmp_path, baseline_file, examples, capsys):
    """A run (not the baseline) holding 1e308: one line, exit 2, never a PASS."""
    run = write_run(tmp_path / "run", examples, noisy())
    lines = (run / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    seg = json.loads(lines[0])
    seg["stats"]["t_wer"][0] = 1e308
    lines[0] = json.dumps(seg)
    (run / "segments.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["check", "--baseline", str(baseline_file), "--run", str(run), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2 and "non-finite or out-of-range" in captured.err
    assert json.loads(captured.out)["exit_code"] == 2


@pytest.mark.parametrize("command", ["check", "report"])
def test_negative_seed_is_one_line(command, baseline_file, same_run, capsys):
    args = (
        ["check", "--baseline", str(baseline_file), "--run", str(same_run)]
        if command == "check"
        else ["report", str(same_run), str(same_run)]
    )
    assert main([*args, "--seed", "-1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--seed -1: expected an integer" in err


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    metric=st.sampled_from(["t_unigram", "t_wer", "t_meanf1"]),
    row=st.integers(0, 319),
    col=st.integers(0, 1),
    value=st.one_of(
        st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -1e300, 2.0**60]),
        st.text(max_size=3),
        st.booleans(),
        st.lists(st.integers(), max_size=2),
        st.none().map(lambda _: {"x": 1}),
    ),
)
def test_corrupt_statistic_never_passes(baseline_file, tmp_path, metric, row, col, value):
    data = json.loads(baseline_file.read_text(encoding="utf-8"))
    data["stats"][metric][row][col] = value
    with pytest.raises(DataError) as info:
        baseline.Baseline.from_dict(data, path="b.json")
    message = str(info.value)
    assert message.startswith("b.json: malformed baseline: ") and "\n" not in message
    assert f"stats.{metric}[{row}]" in message


def test_every_baseline_slice_and_metric_is_checked(baseline_file, same_run, capsys):
    """A PASS accounts for every slice and metric of the baseline."""
    assert (
        main(
            ["check", "--baseline", str(baseline_file), "--run", str(same_run), "--format", "json"]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    b = baseline.load(baseline_file)
    weeks = {k[0] for k in b.slice_table} | {"all"}
    rest = {k[1:] for k in b.slice_table}
    expected = {(w, *r, m) for w in weeks for r in rest for m in b.metrics}
    got = {(s["week"], s["task"], s["pair"], s["field"], s["metric"]) for s in report["slices"]}
    assert got == expected


HOSTILE = "x\x1b[2J\x1b]0;owned\x07</details><h1>FAKE PASS</h1><img src=https://e.x/a.png>"


def test_hostile_run_id_is_inert_everywhere(tmp_path, baseline_file, examples, monkeypatch, capsys):
    data = json.loads(baseline_file.read_text(encoding="utf-8"))
    data["run"]["run_id"] = HOSTILE
    bad = tmp_path / "hostile.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    run = write_run(tmp_path / "run", examples, noisy())
    summary, junit = tmp_path / "summary.md", tmp_path / "check.xml"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert (
        main(
            ["check", "--baseline", str(bad), "--run", str(run), "--junit", str(junit), "--verbose"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    md = summary.read_text(encoding="utf-8")
    assert "<h1>" not in md and "<img" not in md and "\x1b" not in md
    assert md.count("</details>") == 1  # only the summary's own block
    assert "&lt;h1&gt;FAKE PASS&lt;/h1&gt;" in md
    xml_text = junit.read_text(encoding="utf-8")
    assert "\x1b" not in xml_text and "\x07" not in xml_text
    ET.fromstring(xml_text.split("\n", 1)[1])  # well-formed

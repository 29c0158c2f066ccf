"""`evalkit check` and `evalkit baseline save` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from check_helpers import drop_word_in, make_examples, noisy, write_run

from evalkit.cli import main

REPO = Path(__file__).resolve().parents[2]
TOLERANCES = ["--max-drop", "t_unigram=1", "--max-drop", "t_wer=2", "--max-drop", "t_meanf1=0.01"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory, examples) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli-runs")
    return {
        "same": write_run(root / "same", examples, noisy()),
        "drop": write_run(root / "drop", examples, drop_word_in("2024-W02", noisy())),
        "other": write_run(root / "other", make_examples(seed=8), noisy()),
    }


@pytest.fixture(autouse=True)
def _no_step_summary(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def test_baseline_save(tmp_path, base_run, capsys):
    out = tmp_path / "results" / "baselines" / "sys.json"
    assert main(["baseline", "save", str(base_run), "--to", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"saved baseline {out}: 320 examples, 3 metrics, {out.stat().st_size} bytes" in printed
    assert json.loads(out.read_text())["kind"] == "evalkit-baseline"


def test_baseline_save_of_a_non_run_exits_2(tmp_path, capsys):
    assert main(["baseline", "save", str(tmp_path), "--to", str(tmp_path / "b.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a run folder" in err and str(tmp_path) in err


def test_unchanged_exits_0_short_and_verbose_has_a_table(baseline_file, runs, capsys):
    args = ["check", "--baseline", str(baseline_file), "--run", str(runs["same"]), *TOLERANCES]
    code = main(args)
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[-1] == "PASS: 0 regressions, 0 improved, 60 unchanged, 0 new"
    assert len(out.splitlines()) == 3  # what was compared, the count, the verdict
    assert "60 unchanged and 0 new slice(s) not listed (--verbose" in out
    assert main([*args, "--verbose"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("status"))
    assert header.split()[:7] == ["status", "week", "task", "pair", "field", "metric", "better"]
    rows = [line.split() for line in out.splitlines() if line.startswith("ok ")]
    assert len(rows) == 60
    assert {r[6] for r in rows if r[5] == "t_wer"} == {"lower"}
    # one precision per numeric column
    assert {len(r[8].split(".")[1]) for r in rows} == {4}


def test_regression_exits_1_and_names_the_slices(baseline_file, runs, capsys):
    code = main(
        ["check", "--baseline", str(baseline_file), "--run", str(runs["drop"]), *TOLERANCES]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL: 18 regressions" in out
    assert (
        "regression: 2024-W02 translation en-ko title t_wer rose by 12.5 (16.88 -> 29.38), "
        "more than the 2 allowed, p=0.0010 < 0.05"
    ) in out
    # short: a line per regression, the count of the rest, the verdict
    assert len(out.splitlines()) == 1 + 18 + 1 + 1


def test_json_output(baseline_file, runs, capsys):
    code = main(
        [
            "check",
            "--baseline",
            str(baseline_file),
            "--run",
            str(runs["drop"]),
            "--format",
            "json",
            "--seed",
            "7",
            *TOLERANCES,
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["schema_version"] == 1 and report["kind"] == "evalkit-check"
    assert report["status"] == "fail" and report["exit_code"] == 1
    assert report["test"] == {
        "method": "paired-bootstrap",
        "n_resamples": 1000,
        "n_samples": 1000,
        "signature": "paired-bs-1000|seed:7",
        "seed": 7,
        "alpha": 0.05,
        "min_segments": 2,
    }
    assert report["counts"] == {"regression": 18, "improvement": 0, "ok": 42, "new": 0}
    assert report["max_drop"] == {"t_meanf1": 0.01, "t_unigram": 1.0, "t_wer": 2.0}
    assert len(report["slices"]) == 60
    assert {
        "week",
        "task",
        "pair",
        "field",
        "metric",
        "status",
        "baseline",
        "candidate",
        "delta",
        "ci95",
        "p_value",
        "max_drop",
        "n",
    } <= set(report["slices"][0])


def test_junit_has_one_testcase_per_slice(tmp_path, baseline_file, runs, capsys):
    junit = tmp_path / "reports" / "check.xml"
    code = main(
        [
            "check",
            "--baseline",
            str(baseline_file),
            "--run",
            str(runs["drop"]),
            "--junit",
            str(junit),
            "--format",
            "json",
            *TOLERANCES,
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    root = ET.parse(junit).getroot()
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report["slices"]) == int(suite.get("tests")) == 60
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(failed) == int(suite.get("failures")) == 18
    expected = {
        f"{s['week']} {s['task']} {s['pair']} {s['field']} {s['metric']}"
        for s in report["slices"]
        if s["status"] == "regression"
    }
    assert {f"{c.get('classname').split('.')[-1]} {c.get('name')}" for c in failed} == expected
    assert all("more than the" in c.find("failure").get("message") for c in failed)


def test_step_summary_is_appended(tmp_path, baseline_file, runs, monkeypatch, capsys):
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert (
        main(["check", "--baseline", str(baseline_file), "--run", str(runs["drop"]), *TOLERANCES])
        == 1
    )
    assert (
        main(["check", "--baseline", str(baseline_file), "--run", str(runs["same"]), *TOLERANCES])
        == 0
    )
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n## evalkit check: FAIL: 18 regressions")
    assert "## evalkit check: PASS: 0 regressions" in text
    assert text.count("<details>") == 2
    assert "| REGRESSION | 2024-W02 | translation | en-ko | title | t\\_wer | lower |" in text


def test_incomparable_exits_2_everywhere(tmp_path, baseline_file, runs, monkeypatch, capsys):
    summary, junit = tmp_path / "summary.md", tmp_path / "check.xml"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code = main(
        [
            "check",
            "--baseline",
            str(baseline_file),
            "--run",
            str(runs["other"]),
            "--format",
            "json",
            "--junit",
            str(junit),
        ]
    )
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("evalkit check: error: cannot compare run ")
    assert "dataset fingerprint differs" in captured.err
    report = json.loads(captured.out)
    assert report["status"] == "incomparable" and report["exit_code"] == 2
    assert "dataset fingerprint differs" in report["error"]
    error = ET.parse(junit).getroot().find("testsuite/testcase/error")
    assert "dataset fingerprint differs" in error.get("message")
    assert summary.read_text().startswith("## evalkit check: cannot compare")


def test_tolerances_from_the_project_config(tmp_path, baseline_file, runs, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "evalkit.toml").write_text(
        "[check.max_drop]\nt_unigram = 50\nt_wer = 50\nt_meanf1 = 0.5\nbleu = 2.0\n",
        encoding="utf-8",
    )
    args = [
        "check",
        "--baseline",
        str(baseline_file),
        "--run",
        str(runs["drop"]),
        "--format",
        "json",
    ]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["max_drop"]["t_wer"] == 50.0
    # the command line wins over the file
    assert main([*args, "--max-drop", "t_wer=2"]) == 1
    assert json.loads(capsys.readouterr().out)["max_drop"]["t_wer"] == 2.0
    # without evalkit.toml, [tool.evalkit.check.max_drop] of pyproject.toml
    (tmp_path / "evalkit.toml").unlink()
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n[tool.evalkit.check.max_drop]\nt_wer = 7.5\n", encoding="utf-8"
    )
    assert main(args) == 1
    assert json.loads(capsys.readouterr().out)["max_drop"] == {
        "t_meanf1": 0.0,
        "t_unigram": 0.0,
        "t_wer": 7.5,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-drop", "t_wer"], "--max-drop 't_wer': expected METRIC=NUMBER with a number >= 0"),
        (["--max-drop", "t_wer=-1"], "expected METRIC=NUMBER with a number >= 0"),
        (
            ["--max-drop", "t_wre=1"],
            "--max-drop names 't_wre', which the baseline does not "
            "score; known: t_meanf1, t_unigram, t_wer; did you mean 't_wer'?",
        ),
        (["--alpha", "1.5"], "--alpha 1.5: expected a number between 0 and 1"),
    ],
)
def test_bad_options_exit_2(baseline_file, runs, capsys, args, message):
    assert main(["check", "--baseline", str(baseline_file), "--run", str(runs["same"]), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_bad_config_names_the_file(tmp_path, baseline_file, runs, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "evalkit.toml"
    config.write_text("[check.max_drop]\nt_wer = 'big'\n", encoding="utf-8")
    args = ["check", "--baseline", str(baseline_file), "--run", str(runs["same"])]
    assert main(args) == 2
    assert f"{config}: [check.max_drop] t_wer: expected METRIC=NUMBER" in capsys.readouterr().err
    config.write_text("[check]\nmax_drop = 3\n", encoding="utf-8")
    assert main(args) == 2
    assert f"{config}: [check.max_drop] must be a table" in capsys.readouterr().err


def test_help_does_not_import_numpy():
    code = (
        "import sys\nfrom evalkit.cli import main\n"
        "for cmd in ('check', 'baseline'):\n"
        "    try:\n        main([cmd, '--help'])\n    except SystemExit:\n        pass\n"
        "print('numpy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout
    assert out.strip().splitlines()[-1] == "False"


def test_paired_ar_decides_the_same_regressions(baseline_file, runs, capsys):
    args = ["check", "--baseline", str(baseline_file), "--run", str(runs["drop"]), *TOLERANCES]
    assert main([*args, "--paired-ar", "--resamples", "2000", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["test"]["method"] == "paired-approximate-randomization"
    assert report["test"]["signature"] == "paired-ar-2000|seed:12345"
    assert report["counts"]["regression"] == 18
    assert all(s["ci95"] is None for s in report["slices"])  # no bootstrap interval in AR
    with pytest.raises(SystemExit) as info:  # one test at a time
        main([*args, "--paired-bs", "--paired-ar"])
    assert info.value.code == 2 and "not allowed with argument" in capsys.readouterr().err

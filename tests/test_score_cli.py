"""``evalkit score``: JSON contract, several systems, errors, plugins by name."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, run_cli

DATA = REPO / "tests" / "data" / "scorers"


def _files(tmp_path: Path, **contents: str) -> dict[str, str]:
    out = {}
    for name, text in contents.items():
        p = tmp_path / f"{name}.txt"
        p.write_text(text, encoding="utf-8")
        out[name] = str(p)
    return out


def test_json_report_for_several_systems():
    ref, a, b = (str(DATA / f"ko.{n}.txt") for n in ("ref", "sysA", "sysB"))
    proc = run_cli(
        "score",
        "-r",
        ref,
        "-i",
        a,
        b,
        "-l",
        "ko",
        "-m",
        "bleu",
        "rouge1",
        "target_script",
        "--format",
        "json",
        "--n-resamples",
        "100",
        "--seed",
        "3",
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["schema_version"] == 1 and report["kind"] == "score"
    assert report["n"] == 60 and report["lang"] == "ko" and report["seed"] == 3
    assert list(report["systems"]) == [a, b]
    for name in (a, b):
        scores = report["systems"][name]["scores"]
        assert set(scores) == {"bleu", "rouge1", "target_script"}
        for sc in scores.values():
            assert sc["n"] == 60 and sc["ci95"][0] <= sc["score"] <= sc["ci95"][1]
            assert "|seed:3" in sc["signature"] and "evalkit:" in sc["signature"]
        bleu = scores["bleu"]
        assert {"precision_1", "precision_4", "bp", "hyp_len", "ref_len", "ratio"} <= set(
            bleu["components"]
        )
        assert "tok:ko-mecab-" in bleu["signature"]
        assert set(scores["rouge1"]["components"]) == {"precision", "recall", "fmeasure"}
    assert (
        report["systems"][a]["scores"]["bleu"]["score"]
        > report["systems"][b]["scores"]["bleu"]["score"]
    )
    assert report["systems"][b]["degenerate"] == {
        "count": 1,
        "segments": [{"line": 4, "flags": ["empty_output"]}],
    }

    # The same CIs again for the same seed, byte for byte.
    again = run_cli(
        "score",
        "-r",
        ref,
        "-i",
        a,
        b,
        "-l",
        "ko",
        "-m",
        "bleu",
        "rouge1",
        "target_script",
        "--format",
        "json",
        "--n-resamples",
        "100",
        "--seed",
        "3",
    )
    assert again.stdout == proc.stdout


def test_text_output_and_sentence_level(tmp_path):
    f = _files(
        tmp_path,
        ref="the cat sat on the mat\na quick brown fox\n",
        hyp="the cat is on the mat\n" + "fox " * 120 + "\n",
    )
    proc = run_cli(
        "score", "-r", f["ref"], "-i", f["hyp"], "-l", "en", "-m", "bleu", "ter", "--sentence-level"
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.splitlines()[0] == "system\tline\tbleu\tter\tflags"
    assert f"{f['hyp']}\t2\t" in out and out.splitlines()[2].endswith("too_long,loop")
    assert "bleu (segments): nrefs:1|case:mixed|eff:yes" in out
    assert "degenerate hypotheses in" in out and "2 (too_long+loop)" in out


def test_line_count_mismatch_is_one_line_naming_files_and_counts(tmp_path):
    f = _files(tmp_path, ref="a\nb\nc\n", good="a\nb\nc\n", bad="a\nb\n")
    proc = run_cli("score", "-r", f["ref"], "-i", f["good"], f["bad"], "-l", "en")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f["ref"] in lines[0] and "3 lines" in lines[0] and f"{f['bad']} has 2 lines" in lines[0]
    assert f["good"] not in lines[0]


def test_bad_inputs_are_one_line_errors(tmp_path):
    f = _files(tmp_path, ref="a\n", hyp="a\n")
    (tmp_path / "latin1.txt").write_bytes(b"ok\ncaf\xe9\n")
    cases = [
        (["-m", "bleuu"], "unknown scorer 'bleuu'", "did you mean 'bleu'?"),
        (["-m", "rougel"], "known: ", "did you mean 'rougeL'?"),
        (["--tokenize", "ko-mecabb"], "unknown tokenizer 'ko-mecabb'", "did you mean 'ko-mecab'?"),
    ]
    for extra, first, second in cases:
        proc = run_cli("score", "-r", f["ref"], "-i", f["hyp"], "-l", "en", *extra)
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert first in proc.stderr and second in proc.stderr
    proc = run_cli("score", "-r", str(tmp_path / "latin1.txt"), "-i", f["hyp"], "-l", "en")
    assert proc.returncode == 2 and "latin1.txt:2: not UTF-8" in proc.stderr
    proc = run_cli("score", "-r", str(tmp_path / "missing.txt"), "-i", f["hyp"], "-l", "en")
    assert proc.returncode == 2 and "missing.txt: cannot read" in proc.stderr
    proc = run_cli("score", "-r", f["ref"], "-i", f["hyp"], f["hyp"], "-l", "en")
    assert proc.returncode == 2 and "given twice" in proc.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--scorer-option", "bleu"], "scorer option 'bleu' is not METRIC.KEY=VALUE"),
        (["--scorer-option", "comet.model=x"], "comet is not among the metrics scored"),
        (["--scorer-option", "bleu.no_such=1"], "bleu"),
        (
            ["--scorer-option", "bleu.smooth_method=wrong"],
            "scorer 'bleu': smooth_method must be one of 'add-k', 'exp', 'floor'",
        ),
        (["-m", "comet"], "comet reads the sources: give -s/--source SRC_FILE"),
        (["-s", "SHORT"], "source SHORT has 1 lines"),
    ],
)
def test_bad_scorer_options_and_sources_are_one_line_errors(tmp_path, extra, message):
    f = _files(tmp_path, ref="a b\nc d\n", hyp="a b\nc e\n", short="a\n")
    extra = [f["short"] if a == "SHORT" else a for a in extra]
    message = message.replace("SHORT", f["short"])
    proc = run_cli("score", "-r", f["ref"], "-i", f["hyp"], "-l", "en", "-m", "bleu", *extra)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_scorers_table_of_evalkit_toml_is_read(tmp_path):
    f = _files(tmp_path, ref="The cat sat on the mat\n", hyp="the cat sat on the mat\n")
    args = ("score", "-r", f["ref"], "-i", f["hyp"], "-l", "en", "-m", "bleu", "--format", "json")
    plain = json.loads(run_cli(*args, cwd=tmp_path).stdout)
    (tmp_path / "evalkit.toml").write_text("[scorers.bleu]\nlowercase = true\n")
    lowered = json.loads(run_cli(*args, cwd=tmp_path).stdout)
    assert lowered["scorer_options"] == {"bleu": {"lowercase": True}}
    assert lowered["systems"][f["hyp"]]["scores"]["bleu"]["score"] == pytest.approx(100.0)
    assert plain["systems"][f["hyp"]]["scores"]["bleu"]["score"] < 100.0
    assert "scorer_options" not in plain and "source" not in plain


def test_unknown_scorer_from_the_library_lists_names():
    from evalkit.errors import UnknownNameError
    from evalkit.scorers import get_scorer

    with pytest.raises(
        UnknownNameError, match=r"known: .*chrf\+\+.*rougeLsum.*did you mean 'chrf\+\+'"
    ):
        get_scorer("chrf+", lang="en")


def test_example_plugin_is_installed_and_used_by_name(tmp_path):
    """The example package in examples/ registers ``exact_match`` in ``evalkit.scorers``."""
    src = tmp_path / "src"
    shutil.copytree(REPO / "examples" / "evalkit-scorer-example", src)
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(src),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    f = _files(tmp_path, ref="a b c\nd e f\n", hyp="a  b c\nd e x\n")
    env = {"PYTHONPATH": f"{REPO}{':'}{target}"}
    proc = run_cli(
        "score",
        "-r",
        f["ref"],
        "-i",
        f["hyp"],
        "-l",
        "en",
        "-m",
        "exact_match",
        "bleu",
        "--format",
        "json",
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    sc = json.loads(proc.stdout)["systems"][f["hyp"]]["scores"]["exact_match"]
    assert sc["score"] == 0.5 and sc["components"] == {"matches": 1.0, "segments": 2.0}
    assert sc["signature"].startswith("exact_match|case:mixed|version:0.1.0")
    # Unknown names now list the plugin too.
    proc = run_cli("score", "-r", f["ref"], "-i", f["hyp"], "-l", "en", "-m", "exact_mach", env=env)
    assert proc.returncode == 2 and "did you mean 'exact_match'?" in proc.stderr

"""`evalkit check --system` end to end: built-in systems, real metrics, the bundled digests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalkit import baseline
from evalkit.cli import main
from evalkit.io import write_jsonl
from evalkit.runfiles import load_run

WEEK = "2023-W41"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project folder with a baseline of the built-in ``reference`` system."""
    from evalkit.run import RunOptions, execute

    root = tmp_path_factory.mktemp("project")
    run = execute(RunOptions(system="reference", results=str(root / "results"), reports=False))
    baseline.save(run.run_dir, root / "results" / "baselines" / "reference.json")
    # an outputs system: the reference with its first word dropped in one week
    outputs = [
        {
            "id": s.id,
            "output": s.output.split(" ", 1)[-1] if s.week == WEEK else s.output,
        }
        for s in load_run(run.run_dir).segments
    ]
    write_jsonl(root / "dropped.jsonl", outputs)
    (root / "evalkit.toml").write_text(
        '[systems.dropper]\nkind = "outputs"\npath = "dropped.jsonl"\n', encoding="utf-8"
    )
    return root


def _check(project: Path, system: str, capsys) -> tuple[int, dict]:
    code = main(
        [
            "check",
            "--baseline",
            "results/baselines/reference.json",
            "--system",
            system,
            "--no-report",
            "--format",
            "json",
        ]
    )
    return code, json.loads(capsys.readouterr().out)


def test_the_same_system_passes(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    code, report = _check(project, "reference", capsys)
    assert code == 0
    assert report["counts"]["regression"] == 0 and report["counts"]["ok"] == len(report["slices"])
    metrics = {s["metric"] for s in report["slices"]}
    assert metrics == {"bleu", "chrf", "ter", "target_script", "length_ratio"}
    assert all(s["delta"] == 0 for s in report["slices"])
    assert {s["week"] for s in report["slices"]} == {"2023-W36", WEEK, "2024-W42", "all"}


def test_a_word_dropped_in_one_week_fails_that_week(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    code, report = _check(project, "dropper", capsys)
    assert code == 1
    slices = report["slices"]
    week = [s for s in slices if s["week"] == WEEK]
    gated = ("bleu", "chrf", "ter", "length_ratio")
    # Every field of the week is significantly worse on BLEU, chrF, TER and the length
    # ratio (which moves away from 1); a slice regresses exactly when that loss exceeds
    # the tolerance: always for titles (one word in ~10), not for abstracts (one word
    # in ~200, a loss below 1 BLEU).
    for s in week:
        if s["metric"] in gated:
            assert s["change"] < 0 and s["p_value"] < 0.05, s
            assert (s["status"] == "regression") == (-s["change"] > s["max_drop"]), s
    assert {
        s["metric"] for s in week if s["field"] == "title" and s["status"] == "regression"
    } == set(gated)
    assert any(s["status"] == "ok" and s["note"] == "within tolerance" for s in week)
    # The first word of a Korean title is often Latin (a model name): dropping it raises
    # the share of Hangul, never lowers it past the tolerance.
    assert all(s["status"] != "regression" for s in week if s["metric"] == "target_script")
    # the other weeks are untouched; the week's pair (en-ko) totals move, en-ja's do not
    for s in slices:
        if s["week"] not in (WEEK, "all") or s["pair"] == "en-ja":
            assert s["status"] == "ok" and s["delta"] == 0, s
    assert {(s["week"], s["pair"]) for s in slices if s["status"] == "regression"} == {
        (WEEK, "en-ko"),
        ("all", "en-ko"),
    }
    bleu_title = next(s for s in week if s["metric"] == "bleu" and s["field"] == "title")
    assert bleu_title["baseline"] == pytest.approx(100.0) and bleu_title["candidate"] < 99


def test_scorers_are_rebuilt_from_the_baseline_not_todays_config(project, monkeypatch, capsys):
    """evalkit.toml changed a scorer option after the baseline was saved: the rerun is
    still scored as the baseline was, so the two stay comparable."""
    monkeypatch.chdir(project)
    config = project / "evalkit.toml"
    before = config.read_text(encoding="utf-8")
    config.write_text(before + "\n[scorers.chrf]\nword_order = 2\n", encoding="utf-8")
    try:
        code, report = _check(project, "reference", capsys)
    finally:
        config.write_text(before, encoding="utf-8")
    assert code == 0, report
    assert report["counts"]["regression"] == 0
    run = load_run(report["run"]["path"])
    assert "word_order" not in str(run.record.selection.scorer_options)
    assert "nw:0" in run.record.signatures["chrf"]["ko"]

"""Comparisons of runs: paired significance on segment statistics, comparability checks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import report_helpers as h

from evalkit.cli import main
from evalkit.errors import IncomparableError
from evalkit.report import compare_runs


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("results") / "runs"
    a = h.make_run(root, "run-a")
    # Much better everywhere: the reference itself for all but every fourth example.
    b = h.make_run(
        root,
        "run-b",
        lambda ex, i: ex["reference"] if i % 4 else h.default_system(ex, i),
        system_spec={"name": "better", "kind": "python"},
    )
    return a, b


def _json(out: Path) -> dict:
    return json.loads((out / "comparison.json").read_text(encoding="utf-8"))


def test_run_against_itself_has_zero_differences(runs, tmp_path):
    a, _ = runs
    written = compare_runs([a, a], tmp_path / "self")
    assert sorted(p.name for p in written) == [
        "comparison.html",
        "comparison.json",
        "comparison.md",
    ]
    data = _json(tmp_path / "self")
    assert data["schema_version"] == 1
    assert len(data["rows"]) == 4 * 4 * 3
    for row in data["rows"]:
        assert row["deltas"][1] == 0.0 and row["changes"][1] == 0.0
        # sacrebleu's p-value of identical systems is 1 / (R + 1): no change, not significant
        assert row["p_values"][1] == 1 / 1001
        assert row["significant"] == [False, False]
    assert data["differing_segments"][0]["segments"] == []
    md = (tmp_path / "self" / "comparison.md").read_text(encoding="utf-8")
    page = (tmp_path / "self" / "comparison.html").read_text(encoding="utf-8")
    assert "\\*" not in md.split("resamples, seed")[1]  # no significance marker after the legend
    assert "No segment scores differ." in md and "No segment scores differ." in page
    assert page.count('data-significant="true"') == 0
    assert page.count('data-significant="false"') == len(data["rows"])
    cells = [line.split(" | ") for line in md.splitlines() if line.startswith("| translation")]
    # one precision per column (the most any metric declares), and which way is better
    assert cells and {c[7] for c in cells} == {"+0.0000"}
    assert {c[4] for c in cells if c[3] == "tlenerr"} == {"lower"}


def test_better_system_is_significant_and_numbers_match_run_json(runs, tmp_path):
    from evalkit.paired import paired_bootstrap
    from evalkit.scorers import get_scorer

    a, b = runs
    compare_runs([a, b], tmp_path / "ab")
    data = _json(tmp_path / "ab")
    meta_a = json.loads((a / "run.json").read_text(encoding="utf-8"))
    meta_b = json.loads((b / "run.json").read_text(encoding="utf-8"))
    key = lambda s: (s["week"], s["task"], s["pair"], s["field"], s["metric"])  # noqa: E731
    sa = {key(s): s for s in meta_a["scores"]}
    sb = {key(s): s for s in meta_b["scores"]}
    for row in data["rows"]:
        k = key(row)
        assert row["scores"] == [sa[k]["score"], sb[k]["score"]]
        assert row["deltas"][1] == sb[k]["score"] - sa[k]["score"]

    # The p-value is the paired bootstrap over the stored segment statistics, seeded.
    row = next(
        r
        for r in data["rows"]
        if (r["week"], r["pair"], r["field"], r["metric"]) == ("all", "en-ko", "summary", "tcharf")
    )
    segs_a = [
        json.loads(x) for x in (a / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    segs_b = {
        s["id"]: s
        for s in (
            json.loads(x) for x in (b / "segments.jsonl").read_text(encoding="utf-8").splitlines()
        )
    }
    ids = [s["id"] for s in segs_a if s["pair"] == "en-ko" and s["field"] == "summary"]
    st_a = np.asarray([next(s for s in segs_a if s["id"] == i)["stats"]["tcharf"] for i in ids])
    st_b = np.asarray([segs_b[i]["stats"]["tcharf"] for i in ids])
    expected = paired_bootstrap(
        get_scorer("tcharf", lang="ko"), st_a, st_b, n_resamples=1000, seed=12345
    )
    assert row["p_values"][1] == expected.p_value and row["n"] == len(ids)
    assert expected.p_value < 0.05 and row["significant"][1]
    assert data["bootstrap"] == {
        "n_resamples": 1000,
        "seed": 12345,
        "alpha": 0.05,
        "test": "paired bootstrap",
    }

    # Lower-is-better metric: a drop is an improvement and is coloured as one.
    page = (tmp_path / "ab" / "comparison.html").read_text(encoding="utf-8")
    assert "delta-good" in page
    terr = [r for r in data["rows"] if r["metric"] == "tlenerr" and r["significant"][1]]
    assert terr and all(r["deltas"][1] < 0 for r in terr)
    md = (tmp_path / "ab" / "comparison.md").read_text(encoding="utf-8")
    assert f"{row['deltas'][1]:+.4f}\\*" in md


def test_segments_that_differ_most(runs, tmp_path):
    a, b = runs
    compare_runs([a, b], tmp_path / "ab")
    block = _json(tmp_path / "ab")["differing_segments"][0]
    assert block["run"] == "run-b" and block["metric"] == "tcharf"
    deltas = [abs(s["delta"]) for s in block["segments"]]
    assert len(deltas) == 10 and deltas == sorted(deltas, reverse=True) and deltas[0] > 0
    seg = block["segments"][0]
    assert seg["outputs"][1] == seg["reference"]  # the better system's output is the reference


def test_different_dataset_is_a_one_line_error(runs, tmp_path, capsys):
    a, _ = runs
    other = h.make_run(tmp_path, "run-other", fingerprint="fp-other-9999")
    # the comparability rules of `evalkit check`, in its words
    with pytest.raises(IncomparableError, match="dataset fingerprint differs"):
        compare_runs([a, other], tmp_path / "x")
    assert main(["report", str(a), str(other), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "(first run fp-test-0001, run fp-other-9999)" in err
    assert not (tmp_path / "x").exists()


def test_different_example_sets_is_a_one_line_error(runs, tmp_path, capsys):
    a, _ = runs
    fewer = h.make_run(tmp_path, "run-fewer", drop=3)
    assert main(["report", str(a), str(fewer), "--out", str(tmp_path / "y")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "example set differs: 3 of the first run's 52 examples are missing from the run" in err


def test_three_runs_compare_against_the_first(runs, tmp_path):
    a, b = runs
    compare_runs([a, b, a], tmp_path / "aba")
    data = _json(tmp_path / "aba")
    assert [r["run_id"] for r in data["runs"]] == ["run-a", "run-b", "run-a"]
    for row in data["rows"]:
        assert len(row["scores"]) == 3 and row["deltas"][2] == 0.0 and not row["significant"][2]


def test_reports_and_comparisons_never_tokenize(runs, tmp_path, monkeypatch):
    """Everything comes from run.json and the stored segment statistics."""
    a, b = runs

    def no_stats(self, *, hyps, refs):
        raise AssertionError("a report tokenized text")

    for cls in (h.CharF, h.LenErr, h.RougeLike):
        monkeypatch.setattr(cls, "stats", no_stats)
    from evalkit.report import write_run_reports

    compare_runs([a, b, a, b], tmp_path / "k4")
    assert len(_json(tmp_path / "k4")["runs"]) == 4
    assert write_run_reports(b)


class LenRatio(h.CharF):
    """A plugin-style scorer with a target value: output length / reference length."""

    name = "tratio"
    label = "t ratio"
    direction = "target"
    target = 1.0
    display_digits = 3

    def stats(self, *, hyps, refs):
        return np.asarray([[len(x), len(r)] for x, r in zip(hyps, refs, strict=True)], float)

    def scores_from_totals(self, totals):
        t = np.atleast_2d(totals)
        return t[:, 0] / np.maximum(t[:, 1], 1)

    def components(self, totals):
        return {"hyp": float(totals[0]), "ref": float(totals[1])}


def test_target_metric_moving_away_is_worse_and_the_summary_says_so(tmp_path, capsys):
    from evalkit.scorers import SCORERS

    SCORERS.register("tratio", f"{__name__}:LenRatio")
    root = tmp_path / "runs"
    exact = h.make_run(root, "exact", lambda ex, i: ex["reference"], metrics=("tratio",))
    longer = h.make_run(
        root, "longer", lambda ex, i: ex["reference"] + " and more", metrics=("tratio",)
    )
    out = tmp_path / "cmp"
    assert main(["report", str(exact), str(longer), "--out", str(out), "--paired-ar"]) == 0
    err = capsys.readouterr().err
    data = _json(out)
    assert data["test"]["method"] == "paired-approximate-randomization"
    assert data["test"]["signature"] == "paired-ar-10000|seed:12345"
    assert data["better"] == {"tratio": "closer to 1"} and data["labels"] == {"tratio": "t ratio"}
    rows = [r for r in data["rows"] if r["significant"][1]]
    assert rows and all(r["deltas"][1] > 0 and r["changes"][1] < 0 for r in rows)
    page = (out / "comparison.html").read_text(encoding="utf-8")
    assert 'class="num delta-bad"' in page and 'class="num delta-good"' not in page
    # the terminal summary: what got worse, by which direction, with its p-value
    assert "longer vs exact: 0 slice(s) significantly better" in err
    assert "worse " in err and "(closer to 1 is better): 1.000 -> 1." in err
    assert "p=0.0001" in err


def test_a_first_run_without_segments_is_refused(runs, tmp_path, capsys):
    a, _ = runs
    empty = h.make_run(tmp_path, "run-empty")
    (empty / "segments.jsonl").write_text("", encoding="utf-8")
    assert main(["report", str(empty), str(a), "--out", str(tmp_path / "e")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the first run has no scored example to compare" in err

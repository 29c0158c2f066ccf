"""The gate's decisions on runs with known differences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from check_helpers import (
    FIELD_WORDS,
    MAX_DROP,
    METRICS,
    PAIRS,
    WEEKS,
    UnigramF1,
    drop_word_in,
    make_examples,
    noisy,
    write_run,
)

from evalkit import baseline
from evalkit.check import compare
from evalkit.errors import IncomparableError
from evalkit.runfiles import load_run


def check(baseline_file: Path, run: Path, **kwargs):
    return compare(baseline.load(baseline_file), load_run(run), max_drop=MAX_DROP, **kwargs)


def test_unchanged_system_passes(tmp_path, examples, baseline_file):
    result = check(baseline_file, write_run(tmp_path / "same", examples, noisy()))
    assert result.exit_code == 0
    # 4 weeks + all, x 2 pairs x 2 fields x 3 metrics
    assert len(result.slices) == 5 * 2 * 2 * 3
    assert {s.status for s in result.slices} == {"ok"}
    # sacrebleu's p-value of two identical systems is 1 / (R + 1); no change, not significant
    assert all(s.delta == 0 and s.p_value == 1 / 1001 for s in result.slices)
    assert not any(s.significant for s in result.slices)


def test_dropping_a_word_in_one_week_fails_that_week_and_the_totals_it_moves(
    tmp_path, examples, baseline_file
):
    run = write_run(tmp_path / "drop", examples, drop_word_in("2024-W02", noisy()))
    result = check(baseline_file, run)
    assert result.exit_code == 1
    by_week = {w: [s for s in result.slices if s.week == w] for w in (*WEEKS, "all")}
    # every slice of the week regresses, significantly and beyond its tolerance
    assert len(by_week["2024-W02"]) == 12
    assert all(s.status == "regression" and s.p_value < 0.05 for s in by_week["2024-W02"])
    # the other weeks are untouched
    for week in ("2024-W01", "2024-W03", "2024-W04"):
        assert all(s.status == "ok" and s.delta == 0 for s in by_week[week])
    # The all-weeks totals hold the week's segments too, so they fall by about a quarter
    # of the week's drop (one week in four): significant everywhere, beyond the tolerance
    # for titles (one word in 8 lost in a quarter of the segments) but not for summaries
    # (one word in 24). Word errors show it exactly: each dropped reference word is one
    # more error, so the totals rise by 100 / (4 x reference length).
    totals = {(s.field, s.pair, s.metric): s for s in by_week["all"]}
    assert all(s.p_value < 0.05 and s.change < 0 for s in totals.values())
    for pair in PAIRS:
        for field, words in FIELD_WORDS.items():
            assert totals[field, pair, "t_wer"].delta == pytest.approx(100 / (4 * words))
    failing_totals = {k for k, s in totals.items() if s.status == "regression"}
    assert failing_totals == {("title", pair, m) for pair in PAIRS for m in METRICS}
    assert {s.note for s in totals.values() if s.field == "summary"} == {"within tolerance"}
    assert set(result.regressions) == set(by_week["2024-W02"]) | {totals[k] for k in failing_totals}


def test_lower_is_better_metrics_regress_when_they_rise(tmp_path, examples, baseline_file):
    result = check(
        baseline_file, write_run(tmp_path / "drop", examples, drop_word_in("2024-W01", noisy()))
    )
    wer = [s for s in result.regressions if s.metric == "t_wer"]
    assert wer and all(s.delta > 0 and s.change < 0 and not s.higher_is_better for s in wer)


def test_change_within_noise_passes(tmp_path, examples, baseline_file):
    # Two papers in twenty get other random extra words: same error rate, other words.
    rerolled, base = noisy(salt="other"), noisy()
    papers = ("-paper-3", "-paper-11")

    def system(ex):
        return rerolled(ex) if ex["id"].split("/")[0].endswith(papers) else base(ex)

    result = check(baseline_file, write_run(tmp_path / "noise", examples, system))
    assert result.exit_code == 0
    assert result.count("ok") == 60
    # the scores did move, some by more than the tolerance: only the test keeps them green
    assert sum(s.delta != 0 for s in result.slices) > 30
    beyond = [s for s in result.slices if abs(s.change) > s.max_drop]
    assert beyond and all(s.p_value >= 0.05 and s.note == "not significant" for s in beyond)


def test_tolerance_alone_or_significance_alone_does_not_fail(tmp_path, examples, baseline_file):
    run = load_run(write_run(tmp_path / "drop", examples, drop_word_in("2024-W02", noisy())))
    lenient = compare(
        baseline.load(baseline_file), run, max_drop={"t_unigram": 50, "t_wer": 50, "t_meanf1": 0.5}
    )
    assert lenient.exit_code == 0
    assert sum(s.note == "within tolerance" for s in lenient.slices) == 24
    strict_alpha = check(baseline_file, run.path, alpha=0.0005)  # below the smallest p
    assert strict_alpha.exit_code == 0
    assert all(
        s.p_value == pytest.approx(1 / 1001) for s in strict_alpha.slices if s.week == "2024-W02"
    )


def test_improvements_are_reported(tmp_path, examples):
    worse = write_run(tmp_path / "worse", examples, drop_word_in("2024-W02", noisy()))
    baseline.save(worse, tmp_path / "worse.json")
    result = check(tmp_path / "worse.json", write_run(tmp_path / "better", examples, noisy()))
    assert result.exit_code == 0
    assert result.count("improvement") == 18 and result.count("regression") == 0
    assert all(s.change > s.max_drop for s in result.slices if s.status == "improvement")


def test_seed_is_used_and_results_are_reproducible(tmp_path, examples, baseline_file):
    run = write_run(tmp_path / "drop", examples, drop_word_in("2024-W02", noisy()))
    a, b = check(baseline_file, run, seed=1), check(baseline_file, run, seed=1)
    c = check(baseline_file, run, seed=2)
    assert [s.to_dict() for s in a.slices] == [s.to_dict() for s in b.slices]
    assert [s.ci95 for s in a.slices] != [s.ci95 for s in c.slices]


def test_baseline_from_another_dataset_cannot_be_compared(tmp_path, baseline_file):
    other = make_examples(seed=8)  # same ids, other reference texts
    run = write_run(tmp_path / "other", other, noisy())
    with pytest.raises(IncomparableError) as info:
        check(baseline_file, run)
    message = str(info.value)
    base_fp = json.loads(baseline_file.read_text())["dataset"]["fingerprint"]
    run_fp = load_run(run).record.dataset.fingerprint
    assert f"dataset fingerprint differs (baseline {base_fp}, run {run_fp})" in message
    assert "320 examples have a different source or reference text" in message
    assert "\n" not in message


def test_missing_and_extra_examples_are_counted(tmp_path, examples, baseline_file):
    subset = [e for e in examples if e["pair"] == "en-ko"]
    with pytest.raises(
        IncomparableError,
        match=r"example set differs: 160 of the baseline's "
        r"320 examples are missing from the run \(first: 2024-W01-paper-0/"
        r"summary/en-ja\)",
    ):
        check(
            baseline_file,
            write_run(
                tmp_path / "subset",
                subset,
                noisy(),
                dataset_fingerprint=_fingerprint(baseline_file),
            ),
        )
    extra = [*examples, {**examples[0], "id": examples[0]["id"] + "-bis"}]
    with pytest.raises(
        IncomparableError, match="1 examples the baseline lacks are in weeks it covers"
    ):
        check(
            baseline_file,
            write_run(
                tmp_path / "extra", extra, noisy(), dataset_fingerprint=_fingerprint(baseline_file)
            ),
        )


def _fingerprint(baseline_file: Path) -> str:
    return json.loads(baseline_file.read_text())["dataset"]["fingerprint"]


def test_metric_signature_or_metric_differences_are_named(tmp_path, examples, baseline_file):
    run = write_run(tmp_path / "sig", examples, noisy())
    meta = json.loads((run / "run.json").read_text())
    meta["metrics"]["t_wer"]["ja"] = "t_wer|lang:ja|normalized"
    del meta["metrics"]["t_meanf1"]
    (run / "run.json").write_text(json.dumps(meta))
    with pytest.raises(IncomparableError) as info:
        check(baseline_file, run)
    message = str(info.value)
    assert (
        "metric signature differs for t_wer (ja): baseline 't_wer|lang:ja|test', "
        "run 't_wer|lang:ja|normalized'"
    ) in message
    assert "metric 't_meanf1' is in the baseline but not in the run" in message
    assert "dataset fingerprint" not in message


def test_new_weeks_are_reported_not_failed(tmp_path, baseline_file):
    grown = make_examples((*WEEKS, "2024-W05"))  # the first four weeks are unchanged
    run = write_run(tmp_path / "grown", grown, drop_word_in("2024-W05", noisy()))
    result = check(baseline_file, run)
    assert result.exit_code == 0
    assert result.new_weeks == ["2024-W05"]
    new = [s for s in result.slices if s.status == "new"]
    assert len(new) == 12 and {s.week for s in new} == {"2024-W05"}
    assert all(s.baseline is None and s.n == 20 for s in new)
    # the totals compare the baseline's examples only
    assert all(s.n == 80 and s.delta == 0 for s in result.slices if s.week == "all")
    assert any("by new weeks only" in n for n in result.notes)


def test_new_week_does_not_excuse_an_edited_example(tmp_path, baseline_file):
    grown = make_examples((*WEEKS, "2024-W05"))
    grown[0] = {**grown[0], "reference": grown[0]["reference"] + " extra"}
    with pytest.raises(
        IncomparableError,
        match=r"1 examples have a different source or "
        r"reference text \(first: 2024-W01-paper-0/title/en-ko\)",
    ):
        check(baseline_file, write_run(tmp_path / "edited", grown, noisy()))


def test_one_segment_slices_are_not_tested(tmp_path):
    examples = [
        e
        for e in make_examples(WEEKS[:2])
        if e["week"] == "2024-W02" or e["id"].startswith("2024-W01-paper-0/")
    ]
    baseline.save(write_run(tmp_path / "b", examples, noisy()), tmp_path / "b.json")
    result = check(
        tmp_path / "b.json", write_run(tmp_path / "c", examples, drop_word_in("2024-W01", noisy()))
    )
    w01 = [s for s in result.slices if s.week == "2024-W01"]
    assert w01 and all(s.n == 1 and s.status == "ok" and s.change < -s.max_drop for s in w01)
    assert {s.note for s in w01} == {"1 segment: too few to test"}


class TargetUnigram(UnigramF1):
    """A plugin-style scorer declaring its facts: ideal value 80, its own label and tolerance."""

    name = "t_target"
    label = "Target unigram"
    direction = "target"
    target = 80.0
    max_drop = 0.5


def test_metrics_with_a_target_value_regress_when_they_move_away(tmp_path, examples):
    from evalkit.scorers import SCORERS

    SCORERS.register("t_target", f"{__name__}:TargetUnigram")
    metrics = ("t_unigram", "t_target")
    worse = write_run(
        tmp_path / "worse", examples, drop_word_in("2024-W02", noisy()), metrics=metrics
    )
    baseline.save(worse, tmp_path / "worse.json")
    better = write_run(tmp_path / "better", examples, noisy(), metrics=metrics)
    result = compare(baseline.load(tmp_path / "worse.json"), load_run(better))
    # t_unigram rises from about 84 to 91 in 2024-W02 titles: an improvement...
    w02 = [s for s in result.slices if s.week == "2024-W02" and s.field == "title"]
    assert {s.status for s in w02 if s.metric == "t_unigram"} == {"improvement"}
    # ...but the same numbers under a metric whose ideal value is 80 move away from it
    moved = [s for s in result.regressions if s.metric == "t_target"]
    assert {s.week for s in moved} >= {"2024-W02"}
    for s in moved:
        assert s.delta > 0 and s.target == 80.0 and s.direction == "target"
        assert s.change == pytest.approx(abs(s.baseline - 80) - abs(s.candidate - 80))
        assert s.max_drop == 0.5  # the tolerance the plugin declares

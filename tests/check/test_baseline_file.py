"""The baseline file: small, versioned, text-free, and exact for paired tests."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from check_helpers import MAX_DROP, METRICS, drop_word_in, noisy, write_run

from evalkit import baseline
from evalkit.check import compare
from evalkit.check.engine import group_slices
from evalkit.check.inputs import side_of
from evalkit.errors import DataError
from evalkit.io import write_jsonl
from evalkit.paired import paired_bootstrap
from evalkit.records import DatasetInfo, Selection
from evalkit.runfiles import load_run
from evalkit.scorers import get_scorer
from evalkit.slices import group_by_slice


def test_file_is_compact_versioned_and_holds_no_text(baseline_file: Path, base_run: Path):
    text = baseline_file.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["schema_version"] == baseline.SCHEMA_VERSION
    assert data["kind"] == "evalkit-baseline"
    assert text.count("\n") == 1 and ": " not in text  # compact JSON
    run = load_run(base_run)
    assert data["dataset"]["fingerprint"] == run.record.dataset.fingerprint
    assert data["examples"]["fingerprint"] == run.record.examples_fingerprint
    assert data["metrics"] == run.record.signatures
    assert data["examples"]["ids"] == sorted(s.id for s in run.segments)
    assert len(data["scores"]) == len(run.record.scores)
    for seg in run.segments[:50]:
        assert seg.reference not in text and seg.output not in text
        assert seg.source not in text


def test_statistics_read_back_exactly(baseline_file: Path, base_run: Path):
    run = {s.id: s for s in load_run(base_run).segments}
    loaded = baseline.load(baseline_file)
    non_integral = 0
    for seg in loaded.segments():
        original = run[seg["id"]]
        assert seg["week"] == original.week and seg["pair"] == original.pair
        for metric in METRICS:
            a = np.asarray(seg["stats"][metric], dtype=np.float64)
            b = np.asarray(original.stats[metric], dtype=np.float64)
            assert a.tobytes() == b.tobytes()
            non_integral += int(not all(float(v).is_integer() for v in b))
    assert non_integral > 100  # the mean-F1 statistics are not integers


def test_paired_tests_from_the_baseline_equal_those_from_the_run(
    tmp_path: Path, examples: list[dict], base_run: Path, baseline_file: Path
):
    cand = load_run(write_run(tmp_path / "cand", examples, drop_word_in("2024-W03", noisy())))
    run_segments = load_run(base_run).segments
    by_id = {s.id: s for s in cand.segments}
    loaded = baseline.load(baseline_file)
    file_segments = loaded.segments()  # aligned with the baseline's ids and slices
    file_groups = group_slices(side_of(loaded))
    run_groups = group_by_slice(run_segments)
    assert set(file_groups) == set(run_groups)
    for key, idx in run_groups.items():
        run_ids = [run_segments[i].id for i in idx]
        file_rows = {file_segments[i]["id"]: file_segments[i] for i in file_groups[key]}
        for metric in METRICS:
            scorer = get_scorer(metric, lang=key[2].split("-")[1])
            b = [by_id[i].stats[metric] for i in run_ids]
            from_run = paired_bootstrap(
                scorer, [s.stats[metric] for s in (run_segments[i] for i in idx)], b, seed=3
            )
            from_file = paired_bootstrap(
                scorer, [file_rows[i]["stats"][metric] for i in run_ids], b, seed=3
            )
            assert from_file == from_run
    # and the whole check agrees with one made from the run in memory
    in_memory = compare(baseline.from_run(load_run(base_run)), cand, max_drop=MAX_DROP)
    from_file = compare(loaded, cand, max_drop=MAX_DROP)
    assert [s.to_dict() for s in from_file.slices] == [s.to_dict() for s in in_memory.slices]
    assert from_file.count("regression") > 0


def test_same_run_same_bytes_whatever_the_segment_order(
    tmp_path: Path, base_run: Path, baseline_file: Path
):
    shuffled = tmp_path / "shuffled"
    shuffled.mkdir()
    (shuffled / "run.json").write_bytes((base_run / "run.json").read_bytes())
    segments = list(load_run(base_run).segments)
    random.Random(1).shuffle(segments)
    write_jsonl(shuffled / "segments.jsonl", [s.to_dict() for s in segments])
    baseline.save(shuffled, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == baseline_file.read_bytes()


def test_partial_run_is_refused(tmp_path: Path, examples: list[dict]):
    run = write_run(tmp_path / "partial", examples[:10], noisy(), status="partial")
    with pytest.raises(DataError, match="'partial'.*a baseline needs a complete run"):
        baseline.save(run, tmp_path / "b.json")
    assert not (tmp_path / "b.json").exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(kind="evalkit-run"), "not an evalkit baseline"),
        (lambda d: d.update(schema_version=99), "schema_version 99 is not supported"),
        (lambda d: d["stats"]["t_wer"].pop(), "stats.t_wer has 319 rows for 320 ids"),
        (lambda d: d["examples"]["slice"].__setitem__(0, 99), "refers to a missing slice"),
        # the run's selection and dataset are read as run.json's are, naming the key
        (lambda d: d["selection"].update(tasks=3), "selection.tasks: expected a list, got 3"),
        (lambda d: d["examples"]["slices"][0].__setitem__(2, "enko"), "'enko' is not a pair"),
        (lambda d: d["dataset"].pop("fingerprint"), "dataset: missing key 'fingerprint'"),
        (
            lambda d: d["selection"].update(scorer_options={"bleu": 1}),
            "selection.scorer_options.bleu: expected an object",
        ),
    ],
)
def test_load_rejects_what_it_cannot_read(tmp_path: Path, baseline_file: Path, edit, message):
    data = json.loads(baseline_file.read_text(encoding="utf-8"))
    edit(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match=message) as info:
        baseline.load(bad)
    assert str(bad) in str(info.value)


@pytest.mark.parametrize("name", ["reference.json", "lead.json"])
def test_committed_0_1_0_baselines_load_and_write_back_byte_for_byte(name):
    """The typed record reads the baselines evalkit 0.1.0 wrote and writes the same bytes."""
    path = Path(__file__).resolve().parents[2] / "results" / "baselines" / name
    loaded = baseline.load(path)
    assert loaded.to_json() == path.read_text(encoding="utf-8")
    assert baseline.Baseline.from_dict(loaded.to_dict(), path=path) == loaded
    assert set(loaded.metrics) == set(loaded.stats) and len(loaded.ids) > 50
    # typed as a run's: what `check --system` repeats reads attributes, not keys
    assert isinstance(loaded.selection, Selection) and isinstance(loaded.dataset, DatasetInfo)
    assert loaded.selection.tasks == (
        ("translation",) if name == "reference.json" else ("summarization",)
    )
    assert loaded.dataset_fingerprint == loaded.dataset.fingerprint == "745388f245c547fa"
    assert (loaded.seed, loaded.n_resamples, loaded.scorer_options) == (12345, 1000, {})

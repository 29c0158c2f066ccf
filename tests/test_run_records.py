"""Typed run records: round trips, validation naming file and key, 0.1.0 results still load."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import shutil
from pathlib import Path

import pytest
from helpers import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from evalkit import baseline, dataset
from evalkit.cli import main
from evalkit.errors import DataError
from evalkit.judges.judgment import Judgment
from evalkit.judges.spans import ErrorSpan
from evalkit.paper import Example
from evalkit.records import (
    DatasetInfo,
    Failure,
    RunRecord,
    Segment,
    Selection,
    SliceScore,
    WeekInfo,
    Where,
)
from evalkit.run_folder import load_run, read_outputs, read_segments, write_run

FIXTURE = REPO / "tests" / "data" / "results-0.1.0"
LEAD = "lead-7e6ee43b9e"
COPY = "copy-source-ad04fadb8f"
#: The command that wrote the fixture's lead run (tests/data/results-0.1.0/README.md).
LEAD_ARGS = ["--system", "lead", "--weeks", "2023-W36", "2023-W41", "--pairs", "en-en", "en-ko"]

text = st.text(max_size=12)
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
langs = st.sampled_from(["en", "ko", "ja"])


offset = st.none() | st.integers(0, 500)
spans = st.builds(ErrorSpan, text, text, st.none() | text, offset, offset)
judgments = st.builds(
    Judgment,
    st.lists(st.floats(-25, 100), max_size=3).map(tuple),
    st.lists(spans, max_size=3).map(tuple),
    st.integers(0, 3),
    st.integers(0, 3),
    st.dictionaries(text, finite, max_size=2),
)


@st.composite
def segments(draw) -> Segment:
    metrics = draw(st.lists(st.sampled_from(["bleu", "chrf", "ter", "rouge1"]), unique=True))
    judges = draw(st.lists(st.sampled_from(["gemba-mqm", "gemba-esa"]), unique=True))
    return Segment(
        id=draw(text),
        paper_id=draw(text),
        week=draw(text),
        task=draw(st.sampled_from(["translation", "summarization"])),
        field=draw(text),
        src_lang=draw(langs),
        tgt_lang=draw(langs),
        source=draw(st.text()),
        reference=draw(st.text()),
        output=draw(st.text()),
        scores={m: draw(st.none() | finite) for m in metrics},
        stats={m: tuple(draw(st.lists(finite, max_size=5))) for m in metrics},
        flags=tuple(draw(st.lists(text, max_size=2))),
        judgments={m: draw(judgments) for m in judges},
    )


@st.composite
def records(draw) -> RunRecord:
    ci = draw(st.none() | st.tuples(finite, finite).map(lambda t: (min(t), max(t))))
    score = SliceScore(
        week=draw(text),
        task="translation",
        pair="en-ko",
        field="title",
        metric="bleu",
        score=draw(finite),
        ci95=ci,
        n=draw(st.integers(0, 10**6)),
        components={"bp": draw(finite)},
        signature=draw(text),
    )
    return RunRecord(
        run_id=draw(text),
        evalkit_version="0.1.0",
        created=draw(text),
        git_revision=draw(st.none() | text),
        system={"name": draw(text), "kind": "python"},
        dataset=DatasetInfo(draw(text), draw(text), 3, {"2023-W41": WeekInfo("a", None, 3)}),
        selection=Selection(
            tasks=("translation",),
            pairs=draw(st.none() | st.tuples(text)),
            fields=None,
            weeks=None,
            metrics=("bleu",),
            metrics_by_task={"translation": ("bleu",)},
            scorer_options=draw(st.none() | st.just({"bleu": {"smooth_method": "floor"}})),
        ),
        examples_count=draw(st.integers(0, 100)),
        examples_fingerprint=draw(text),
        n_resamples=draw(st.integers(0, 10**4)),
        seed=draw(st.integers(0, 2**63 - 1)),
        signatures={"bleu": {"ko": draw(text)}},
        scores=(score,),
        status=draw(st.sampled_from(["complete", "partial"])),
        failures=tuple(draw(st.lists(st.builds(Failure, st.tuples(text), text), max_size=2))),
    )


@settings(max_examples=60, deadline=None)
@given(segments())
def test_a_segment_survives_json(seg):
    data = json.loads(json.dumps(seg.to_dict()))
    assert Segment.from_dict(data) == seg
    assert data["pair"] == f"{seg.src_lang}-{seg.tgt_lang}" == seg.pair


@settings(max_examples=30, deadline=None)
@given(segments())
def test_a_segment_is_its_example_with_what_was_scored(seg):
    example = Example(**{f.name: getattr(seg, f.name) for f in dataclasses.fields(Example)})
    assert isinstance(seg, Example) and example.pair == seg.pair
    again = Segment.of(
        example,
        seg.output,
        scores=seg.scores,
        stats=seg.stats,
        flags=seg.flags,
        judgments=seg.judgments,
    )
    assert again == seg
    assert dataset.Example is Example  # the 0.1.0 import path


@settings(max_examples=60, deadline=None)
@given(records())
def test_a_run_record_survives_json(record):
    assert RunRecord.from_dict(json.loads(json.dumps(record.to_dict()))) == record


def _fixture_run_json() -> dict:
    return json.loads((FIXTURE / "runs" / LEAD / "run.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda d: d["scores"][3].update(score="abc"), "scores[3].score: expected a finite number"),
        (lambda d: d.update(scores=None), "scores: expected a list, got None"),
        (lambda d: d.update(dataset="x"), "dataset: expected an object, got 'x'"),
        (lambda d: d["scores"][0].update(ci95=[math.inf, None]), "scores[0].ci95"),
        (lambda d: d["scores"][1].update(score=math.nan), "scores[1].score: expected a finite"),
        (lambda d: d.update(metrics={"bleu": 5}), "metrics.bleu: expected an object, got 5"),
        (lambda d: d.pop("selection"), "missing key 'selection'"),
        (lambda d: d.update(status="done"), "status: expected 'complete' or 'partial'"),
        (lambda d: d["bootstrap"].update(seed=-1), "bootstrap.seed: expected an integer >= 0"),
        (lambda d: d.update(schema_version=7), "schema_version: version 7 is newer"),
        (lambda d: d["failures"].append({"ids": [1], "error": "x"}), "failures[0].ids[0]"),
    ],
)
def test_a_bad_run_json_is_one_line_naming_file_and_key(tmp_path, edit, named):
    data = _fixture_run_json()
    edit(data)
    path = tmp_path / "run.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # NaN and Infinity as Python writes them
    with pytest.raises(DataError) as info:
        RunRecord.from_dict(json.loads(path.read_text()), Where(path))
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ") and named in message


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda d: d["stats"]["rouge1"].__setitem__(0, math.nan), "stats.rouge1[0]"),
        (lambda d: d["stats"]["rouge1"].__setitem__(1, "3"), "stats.rouge1[1]: expected a finite"),
        (lambda d: d.update(id=["a"]), "id: expected text, got ['a']"),
        (lambda d: d.update(pair="en-ja"), "pair: expected 'en-en'"),
        (lambda d: d["scores"].update(rouge2="x"), "scores.rouge2"),
    ],
)
def test_a_bad_segment_line_is_named_by_file_line_and_key(tmp_path, edit, named):
    lines = (FIXTURE / "runs" / LEAD / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    data = json.loads(lines[4])
    edit(data)
    lines[4] = json.dumps(data)
    path = tmp_path / "segments.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_segments(path)
    assert str(info.value).startswith(f"{path}:5: ") and named in str(info.value)


def test_segments_must_agree_on_the_shape_of_statistics(tmp_path):
    lines = (FIXTURE / "runs" / COPY / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    data = json.loads(lines[7])
    data["stats"]["bleu"] = data["stats"]["bleu"][:-1]
    lines[7] = json.dumps(data, ensure_ascii=False)
    path = tmp_path / "segments.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r":8: stats.bleu: 9 statistics, line 1 has 10"):
        read_segments(path)


def test_an_outputs_line_with_a_list_as_id_names_file_and_line(tmp_path):
    path = tmp_path / "outputs.jsonl"
    path.write_text('{"id": "a", "output": "x"}\n{"id": ["b"], "output": "y"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"outputs.jsonl:2: id: expected text, got \['b'\]"):
        read_outputs(path)


def test_the_writer_writes_what_the_reader_reads(tmp_path):
    run = load_run(FIXTURE / "runs" / COPY)
    write_run(tmp_path / "copy", run.record, run.segments)
    again = load_run(tmp_path / "copy")
    assert again.record == run.record and again.segments == run.segments
    for name in ("run.json", "segments.jsonl"):  # 0.1.0 wrote the same bytes
        assert (tmp_path / "copy" / name).read_bytes() == (
            FIXTURE / "runs" / COPY / name
        ).read_bytes()


# -- the 0.1.0 results folder ---------------------------------------------------------


@pytest.fixture()
def old_results(tmp_path: Path) -> Path:
    copy = tmp_path / "results"
    shutil.copytree(FIXTURE, copy)
    return copy


def test_0_1_0_runs_load_typed(old_results):
    lead = load_run(old_results / "runs" / LEAD)
    assert lead.record.evalkit_version == "0.1.0" and lead.record.status == "complete"
    assert len(lead.segments) == lead.record.examples_count == 29
    assert {s.pair for s in lead.segments} == {"en-en", "en-ko"}
    assert {s.metric for s in lead.record.scores} == {"rouge1", "rouge2", "rougeL", "length_ratio"}
    copy = load_run(old_results / "runs" / COPY)
    assert {len(s.stats["bleu"]) for s in copy.segments} == {10}
    # a 0.1 script reading run.json through `meta` sees the file's object
    on_disk = json.loads((old_results / "runs" / LEAD / "run.json").read_text(encoding="utf-8"))
    assert lead.meta["scores"] == on_disk["scores"] and lead.meta["run_id"] == LEAD


def test_evalkit_itself_reads_runs_through_records_not_meta():
    """``meta`` is kept for users' scripts; no evalkit module passes run.json around as a dict."""
    readers = [
        f"{path.relative_to(REPO)}:{n}"
        for path in sorted((REPO / "evalkit").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.meta\b", line)
    ]
    assert readers == []


def test_0_1_0_run_is_resumed_by_run_with_the_same_id_scores_and_created(old_results, capsys):
    before = {
        name: (old_results / "runs" / LEAD / name).read_bytes()
        for name in ("run.json", "segments.jsonl")
    }
    code = main(
        ["run", *LEAD_ARGS, "--resamples", "100", "--no-report", "--results", str(old_results)]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "0 system call(s), 0 from cache, 29 resumed" in err
    assert sorted(p.name for p in (old_results / "runs").iterdir()) == [COPY, LEAD]
    after = load_run(old_results / "runs" / LEAD)
    old = RunRecord.from_dict(json.loads(before["run.json"]))
    assert after.record.created == old.created
    assert after.record.scores == old.scores  # the batch statistics path: same numbers
    assert (old_results / "runs" / LEAD / "segments.jsonl").read_bytes() == before["segments.jsonl"]


def test_0_1_0_runs_report_baseline_and_check(old_results, tmp_path, capsys):
    lead = old_results / "runs" / LEAD
    assert main(["report", str(lead)]) == 0
    assert "rouge" in (lead / "report.md").read_text(encoding="utf-8").lower()
    assert main(["report", "--index", "--results", str(old_results)]) == 0
    index = (old_results / "index.md").read_text(encoding="utf-8")
    assert LEAD in index and COPY in index
    saved = tmp_path / "lead.json"
    assert main(["baseline", "save", str(lead), "--to", str(saved)]) == 0
    assert baseline.load(saved).ids == baseline.load(old_results / "baselines" / "lead.json").ids
    capsys.readouterr()
    for base in (saved, old_results / "baselines" / "lead.json"):
        assert main(["check", "--baseline", str(base), "--run", str(lead)]) == 0
        assert "PASS" in capsys.readouterr().out

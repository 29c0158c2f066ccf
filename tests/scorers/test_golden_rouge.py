"""rouge-score's published test cases (``rouge/rouge_scorer_test.py``), through evalkit's
Python API and ``evalkit score`` (JSON-lines input for multi-sentence texts and several
references). Every evalkit number equals rouge-score's own, and rouge-score's equals
the number its test publishes (ROUGE-1.5.5's, to 5 places)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli
from scorer_data import DATA

from evalkit.scorers import get_scorer

ROUGE_DATA = DATA / "rouge"


def _lines(name: str) -> list[str]:
    with open(ROUGE_DATA / name, encoding="utf-8") as fh:
        return fh.readlines()  # as rouge-score's test reads them, newline kept


def _text(name: str) -> str:
    return (ROUGE_DATA / name).read_text(encoding="utf-8")


def _rs(rouge_type: str, targets: list[str], prediction: str, stem: bool):
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer([rouge_type], use_stemmer=stem)
    if len(targets) == 1:
        return scorer.score(targets[0], prediction)[rouge_type]
    return scorer.score_multi(targets, prediction)[rouge_type]


def _evalkit_api(rouge_type: str, targets: list[str], prediction: str, stem: bool):
    scorer = get_scorer(rouge_type, lang="en", use_stemmer=stem)
    refs = [targets[0] if len(targets) == 1 else tuple(targets)]
    return tuple(scorer.segment_stats(hyps=[prediction], refs=refs)[0, :3])


def _jsonl_text(text: str) -> Any:
    """A text as a JSON-lines value: a list of sentences when it has several."""
    parts = [s for s in text.split("\n") if s]
    return parts if len(parts) > 1 else text.rstrip("\n")


def _evalkit_cli(tmp_path: Path, rouge_type: str, targets: list[str], prediction: str, stem: bool):
    ref = tmp_path / "ref.jsonl"
    value = {"references": [_jsonl_text(t) for t in targets]} if len(targets) > 1 else (
        _jsonl_text(targets[0])
    )  # fmt: skip
    ref.write_text(json.dumps(value) + "\n", encoding="utf-8")
    hyp = tmp_path / "hyp.jsonl"
    hyp.write_text(json.dumps(_jsonl_text(prediction)) + "\n", encoding="utf-8")
    proc = run_cli(
        "score", "-r", str(ref), "-i", str(hyp), "-l", "en", "-m", rouge_type,
        "--scorer-option", f"{rouge_type}.use_stemmer={'true' if stem else 'false'}",
        "--n-resamples", "0", "--format", "json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    comps = json.loads(proc.stdout)["systems"][str(hyp)]["scores"][rouge_type]["components"]
    return comps["precision"], comps["recall"], comps["fmeasure"]


#: (id, rouge type, targets, prediction, stemming, published (P, R, F) or None)
CASES: list[tuple[str, str, list[str], str, bool, tuple[float, float, float] | None]] = [
    ("rouge1", "rouge1", ["testing one two"], "testing", False, (1, 1 / 3, 1 / 2)),
    ("rouge9-valid", "rouge9", ["testing one two"], "testing", False, (0, 0, 0)),
    ("rouge2", "rouge2", ["testing one two"], "testing one", False, (1, 1 / 2, 2 / 3)),
    ("rougeL-consecutive", "rougeL", ["testing one two"], "testing one", False, (1, 2 / 3, 4 / 5)),
    ("rougeL-nonconsec", "rougeL", ["testing one two"], "testing two", False, (1, 2 / 3, 4 / 5)),
    *(
        (f"empty-{t}", t, ["testing one two"], "", False, (0, 0, 0))
        for t in ("rouge1", "rouge2", "rougeL", "rougeLsum")
    ),
    ("rouge1-multi", "rouge1", ["testing one two"], "testing", False, (1, 1 / 3, 1 / 2)),
    ("all-multi-rouge1", "rouge1", ["first text", "first something"], "text first", False, None),
    ("all-multi-rouge2", "rouge2", ["first text", "first something"], "text first", False, None),
    ("all-multi-rougeL", "rougeL", ["first text", "first something"], "text first", False, None),
    ("lsum-split", "rougeLsum", ["First sentence.\nSecond Sentence."],
     "Second sentence.\nFirst Sentence.", True, None),
    ("lsum-unsplit", "rougeLsum", ["First sentence. Second Sentence."],
     "Second sentence. First Sentence.", True, None),
]  # fmt: skip
#: testRougeAllMulti and testRougeLSumSentenceSplitting publish F only.
PUBLISHED_F = {
    "all-multi-rouge1": 1.0,
    "all-multi-rouge2": 0.0,
    "all-multi-rougeL": 0.5,
    "lsum-split": 1.0,
    "lsum-unsplit": 0.5,
}

#: Against ROUGE-1.5.5 on testdata/target.txt and prediction.txt: (type, stem, line, R, P, F).
AGAINST_155 = [
    ("rouge1", False, 0, 0.40741, 0.68750, 0.51163),
    ("rouge1", False, 1, 0.40476, 0.65385, 0.50000),
    ("rouge1", True, 0, 0.40741, 0.68750, 0.51163),
    ("rouge1", True, 1, 0.42857, 0.69231, 0.52941),
    ("rouge2", False, 0, 0.30769, 0.53333, 0.39024),
    ("rouge2", False, 1, 0.29268, 0.48000, 0.36364),
    ("rouge2", True, 0, 0.30769, 0.53333, 0.39024),
    ("rouge2", True, 1, 0.29268, 0.48000, 0.36364),
    ("rougeL", False, 0, 0.40741, 0.68750, 0.51163),
    ("rougeL", False, 1, 0.40476, 0.65385, 0.50000),
]


def _check(tmp_path, rouge_type, targets, prediction, stem, published_prf, published_f):
    expected = _rs(rouge_type, targets, prediction, stem)
    want = (expected.precision, expected.recall, expected.fmeasure)
    if published_prf is not None:
        assert want == pytest.approx(published_prf, abs=5e-6)
    if published_f is not None:
        assert expected.fmeasure == pytest.approx(published_f, abs=5e-6)
    assert _evalkit_api(rouge_type, targets, prediction, stem) == want
    assert _evalkit_cli(tmp_path, rouge_type, targets, prediction, stem) == want


@pytest.mark.parametrize(
    ("rouge_type", "targets", "prediction", "stem", "published"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_rouge_scorer_cases(tmp_path, request, rouge_type, targets, prediction, stem, published):
    case = request.node.callspec.id
    _check(tmp_path, rouge_type, targets, prediction, stem, published, PUBLISHED_F.get(case))


@pytest.mark.parametrize(("rouge_type", "stem", "line", "r", "p", "f"), AGAINST_155)
def test_against_rouge_155(tmp_path, rouge_type, stem, line, r, p, f):
    target, prediction = _lines("target.txt")[line], _lines("prediction.txt")[line]
    _check(tmp_path, rouge_type, [target], prediction, stem, (p, r, f), None)


def test_rouge_lsum_against_rouge_155_with_stemming(tmp_path):
    target, prediction = _text("target_multi.0.txt"), _text("prediction_multi.0.txt")
    _check(tmp_path, "rougeLsum", [target], prediction, True, (0.66667, 0.36538, 0.47205), None)


@pytest.mark.parametrize("n", range(1, 10))
def test_rouge_n_up_to_9_equals_rouge_score(n):
    """ROUGE-3..9 exist, declare their facts, and equal rouge-score's ``rougeN``."""
    from evalkit.scorers.facts import metric_facts

    target = " ".join(_lines("target.txt")) * 2
    prediction = " ".join(_lines("prediction.txt")) + " " + target[: len(target) // 3]
    expected = _rs(f"rouge{n}", [target], prediction, True)
    got = _evalkit_api(f"rouge{n}", [target], prediction, True)
    assert got == (expected.precision, expected.recall, expected.fmeasure)
    assert got[2] > 0
    facts = metric_facts(f"rouge{n}")
    assert facts.known and facts.label == f"ROUGE-{n}" and facts.direction == "higher"

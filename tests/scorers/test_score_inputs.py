"""``evalkit score`` inputs: JSON lines and sentence separators (ROUGE-Lsum sentence
breaks), confidence levels and per-component intervals, and TER's sacrebleu CJK mode."""

from __future__ import annotations

import json

import pytest
from helpers import run_cli
from scorer_data import data_path, read
from test_scorer_sacrebleu_cli import WIDTH, sacrebleu_cli

from evalkit.scorers.corpus import score_systems

SUMMARIES = [
    (["Ring attention splits the sequence.", "Blocks pass between devices."],
     ["Devices pass blocks around a ring.", "The sequence is split into blocks."]),
    (["The model is small.", "It runs on one GPU.", "Results match larger models."],
     ["Results match larger models.", "The small model runs on a single GPU."]),
]  # fmt: skip


def _score(tmp_path, ref_name, hyp_name, *args):
    proc = run_cli(
        "score", "-r", str(tmp_path / ref_name), "-i", str(tmp_path / hyp_name), "-l", "en",
        "-m", "rougeLsum", "rouge1", "--n-resamples", "0", "--format", "json", *args,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["systems"][str(tmp_path / hyp_name)]["scores"]


def test_sentences_from_jsonl_and_from_a_separator_equal_rouge_score(tmp_path):
    from rouge_score import rouge_scorer

    refs = [r for r, _ in SUMMARIES]
    hyps = [h for _, h in SUMMARIES]
    (tmp_path / "ref.jsonl").write_text("".join(json.dumps(r) + "\n" for r in refs))
    (tmp_path / "hyp.jsonl").write_text("".join(json.dumps({"text": h}) + "\n" for h in hyps))
    (tmp_path / "ref.txt").write_text("".join("<q>".join(r) + "\n" for r in refs))
    (tmp_path / "hyp.txt").write_text("".join(" <q> ".join(h) + "\n" for h in hyps))
    from_jsonl = _score(tmp_path, "ref.jsonl", "hyp.jsonl")
    from_sep = _score(tmp_path, "ref.txt", "hyp.txt", "--sentence-separator", "<q>")
    flat = _score(tmp_path, "ref.txt", "hyp.txt")  # no separator: one sentence each
    rs = rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=True)
    per = [rs.score("\n".join(r), "\n".join(h))["rougeLsum"].fmeasure for r, h in SUMMARIES]
    assert from_jsonl["rougeLsum"]["score"] == sum(per) / len(per)
    assert from_sep["rougeLsum"] == from_jsonl["rougeLsum"]
    assert flat["rougeLsum"]["score"] < from_jsonl["rougeLsum"]["score"]
    assert from_sep["rouge1"]["score"] == from_jsonl["rouge1"]["score"]


@pytest.mark.parametrize(
    ("ref_line", "hyp_line", "where", "message"),
    [
        (
            '{"txt": "a"}',
            '"a"',
            "ref",
            'an object must have exactly the key "text" or "references"',
        ),
        ('"a"', '{"references": ["a", "b"]}', "hyp", 'an object must have exactly the key "text"'),
        ("5", '"a"', "ref", "a line must be a string or a list of strings, got int"),
        ('"a"', '["a", 1]', "hyp", "a line must be a string or a list of strings, got list"),
        ('{"references": []}', '"a"', "ref", '"references" must be a non-empty list'),
        ('{"references": [null]}', '"a"', "ref", "each reference must be a string"),
        ('"a', '"a"', "ref", "not JSON: Unterminated string"),
    ],
)
def test_bad_jsonl_lines_are_one_line_naming_file_and_line(
    tmp_path, ref_line, hyp_line, where, message
):
    (tmp_path / "ref.jsonl").write_text(f'"ok"\n{ref_line}\n', encoding="utf-8")
    (tmp_path / "hyp.jsonl").write_text(f'"ok"\n{hyp_line}\n', encoding="utf-8")
    proc = run_cli(
        "score", "-r", str(tmp_path / "ref.jsonl"), "-i", str(tmp_path / "hyp.jsonl"), "-l", "en"
    )
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert f"{tmp_path / f'{where}.jsonl'}:2: " in line and message in line, line


def test_confidence_level_and_precision_recall_intervals():
    refs, hyps = read("en", "ref"), read("en", "sysA")
    kw = {"lang": "en", "metrics": ["rougeL", "bleu"], "n_resamples": 200, "seed": 7}
    wide = score_systems(refs, {"a": hyps}, **kw)
    narrow = score_systems(refs, {"a": hyps}, confidence=0.8, **kw)
    assert "confidence" not in wide and narrow["confidence"] == 0.8
    for report, level in ((wide, None), (narrow, 0.8)):
        rouge = report["systems"]["a"]["scores"]["rougeL"]
        assert set(rouge["component_ci"]) == {"precision", "recall", "fmeasure"}
        assert rouge["component_ci"]["fmeasure"] == rouge["ci95"]
        for k, (lo, hi) in rouge["component_ci"].items():
            assert lo <= rouge["components"][k] <= hi
        assert ("|level:0.8" in rouge["signature"]) == (level is not None)
        assert rouge.get("confidence") == level
    w, n = wide["systems"]["a"]["scores"], narrow["systems"]["a"]["scores"]
    for m in ("rougeL", "bleu"):
        assert w[m]["ci95"][0] <= n[m]["ci95"][0] <= n[m]["ci95"][1] <= w[m]["ci95"][1]
        assert n[m]["ci95"] != w[m]["ci95"]
    assert w["rougeL"]["component_ci"]["recall"] != w["rougeL"]["component_ci"]["precision"]


@pytest.mark.parametrize("value", ["0", "1", "1.5", "-0.2", "nan"])
def test_bad_confidence_is_one_line(value):
    proc = run_cli(
        "score", "-r", str(data_path("en", "ref")), "-i", str(data_path("en", "sysA")),
        "-l", "en", "--confidence", value,
    )  # fmt: skip
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "--confidence" in proc.stderr


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_ter_asian_support_replaces_mecab_and_equals_sacrebleu(lang):
    """``normalized`` + ``asian_support`` on raw Korean/Japanese text: sacrebleu's
    ``--ter-normalized --ter-asian-support``, digit for digit, with no MeCab."""
    ref, hyp = data_path(lang, "ref"), data_path(lang, "sysA")
    proc = run_cli(
        "score", "-r", str(ref), "-i", str(hyp), "-l", lang, "-m", "ter", "--n-resamples", "0",
        "--format", "json", "--scorer-option", "ter.normalized=true",
        "--scorer-option", "ter.asian_support=true",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    score = json.loads(proc.stdout)["systems"][str(hyp)]["scores"]["ter"]
    (expected,) = sacrebleu_cli(ref, hyp, "-m", "ter", "--ter-normalized", "--ter-asian-support")
    assert f"{score['score']:.{WIDTH}f}" == expected
    assert "asian:yes" in score["signature"] and "pretok" not in score["signature"]
    default = run_cli(
        "score", "-r", str(ref), "-i", str(hyp), "-l", lang, "-m", "ter", "--n-resamples", "0",
        "--format", "json",
    )  # fmt: skip
    assert (
        "pretok:" in json.loads(default.stdout)["systems"][str(hyp)]["scores"]["ter"]["signature"]
    )

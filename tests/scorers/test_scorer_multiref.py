"""Several references per segment: equal to sacrebleu (BLEU, chrF, chrF++, TER) and to
rouge-score's ``score_multi`` (ROUGE), in the API and on the command line."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import run_cli
from hypothesis import given
from hypothesis import strategies as st
from scorer_data import LANGS, TOKENIZERS, data_path, read
from test_scorer_differential import SETTINGS, multiline, texts
from test_scorer_sacrebleu_cli import WIDTH, sacrebleu_cli

from evalkit.scorers import get_scorer

#: (n segments, n references) then the texts: hypotheses, then one stream per reference.
corpora = st.tuples(st.integers(1, 6), st.integers(2, 3)).flatmap(
    lambda nk: st.tuples(
        st.lists(texts, min_size=nk[0], max_size=nk[0]),
        st.lists(st.lists(texts, min_size=nk[0], max_size=nk[0]), min_size=nk[1], max_size=nk[1]),
    )
)


def _per_segment(streams):
    return [tuple(r) for r in zip(*streams, strict=True)]


@SETTINGS
@given(corpora, st.sampled_from(["bleu", "chrf", "chrf++", "ter"]))
def test_sacrebleu_metrics_with_several_references(corpus, metric):
    from sacrebleu.metrics import BLEU, CHRF, TER

    hyps, streams = corpus
    ref_metric = {"bleu": BLEU(), "chrf": CHRF(), "chrf++": CHRF(word_order=2), "ter": TER()}[
        metric
    ]
    expected = np.array(ref_metric._extract_corpus_statistics(hyps, streams), dtype=float)
    scorer = get_scorer(metric, lang="en")
    got = scorer.segment_stats(hyps=hyps, refs=_per_segment(streams))
    k = expected.shape[1]
    assert (got[:, :k] == expected).all()
    assert scorer.score_from_totals(got.sum(0)) == ref_metric.corpus_score(hyps, streams).score
    if metric != "ter":
        sentence_metric = BLEU(effective_order=True) if metric == "bleu" else ref_metric
        assert list(scorer.segment_scores(got)) == [
            sentence_metric.sentence_score(h, list(r)).score
            for h, r in zip(hyps, _per_segment(streams), strict=True)
        ]


@SETTINGS
@given(
    st.lists(
        st.tuples(multiline, st.lists(multiline, min_size=2, max_size=3)), min_size=1, max_size=5
    ),
    st.sampled_from(["rouge1", "rouge2", "rouge4", "rougeL", "rougeLsum"]),
)
def test_rouge_takes_the_best_reference_like_score_multi(pairs, rouge_type):
    from rouge_score import rouge_scorer

    rs = rouge_scorer.RougeScorer([rouge_type], use_stemmer=True)
    scorer = get_scorer(rouge_type, lang="en")
    hyps = [h for h, _ in pairs]
    got = scorer.segment_stats(hyps=hyps, refs=[tuple(r) for _, r in pairs])
    for row, (hyp, refs) in zip(got, pairs, strict=True):
        s = rs.score_multi(refs, hyp)[rouge_type]
        assert tuple(row[:3]) == (s.precision, s.recall, s.fmeasure)


@pytest.mark.parametrize("lang", LANGS)
def test_two_reference_files_equal_sacrebleu_cli(lang, tmp_path):
    """``-r REF REF2`` against ``sacrebleu REF REF2``: BLEU, chrF, chrF++ (and TER for
    English, where evalkit does not pre-tokenize)."""
    ref, ref2, hyp = data_path(lang, "ref"), data_path(lang, "sysB"), data_path(lang, "sysA")
    metrics = ["bleu", "chrf", "chrf++"] + (["ter"] if lang == "en" else [])
    proc = run_cli(
        "score", "-r", str(ref), str(ref2), "-i", str(hyp), "-l", lang, "-m", *metrics,
        "--n-resamples", "0", "--format", "json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["references"] == [str(ref), str(ref2)]
    scores = report["systems"][str(hyp)]["scores"]
    bleu, chrf = sacrebleu_cli(ref, hyp, "-m", "bleu", "chrf", "-tok", TOKENIZERS[lang])
    # sacrebleu reads several reference files as extra positional arguments
    bleu2, chrf2 = sacrebleu_cli_multi(
        [ref, ref2], hyp, "-m", "bleu", "chrf", "-tok", TOKENIZERS[lang]
    )
    (chrfpp2,) = sacrebleu_cli_multi([ref, ref2], hyp, "-m", "chrf", "--chrf-word-order", "2")
    assert f"{scores['bleu']['score']:.{WIDTH}f}" == bleu2 != bleu
    assert f"{scores['chrf']['score']:.{WIDTH}f}" == chrf2
    assert f"{scores['chrf++']['score']:.{WIDTH}f}" == chrfpp2
    for m in metrics:
        assert scores[m]["signature"].startswith("nrefs:2|"), m
    if lang == "en":
        (ter2,) = sacrebleu_cli_multi([ref, ref2], hyp, "-m", "ter")
        assert f"{scores['ter']['score']:.{WIDTH}f}" == ter2


def sacrebleu_cli_multi(refs, hyp, *args):
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "sacrebleu", *map(str, refs), "-i", str(hyp), *args,
         "-b", "-w", str(WIDTH), "-f", "text"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return proc.stdout.strip().splitlines()


def test_references_in_a_jsonl_file_equal_reference_files(tmp_path):
    """``{"references": [...]}`` lines and two ``-r`` files give the same report."""
    refs, refs2, hyp = read("en", "ref"), read("en", "sysB"), data_path("en", "sysA")
    jsonl = tmp_path / "refs.jsonl"
    jsonl.write_text(
        "".join(
            json.dumps({"references": [a, b]}) + "\n" for a, b in zip(refs, refs2, strict=True)
        ),
        encoding="utf-8",
    )
    args = ("-i", str(hyp), "-l", "en", "-m", "bleu", "ter", "rougeL", "--n-resamples", "20",
            "--format", "json")  # fmt: skip
    one = json.loads(run_cli("score", "-r", str(jsonl), *args).stdout)
    two = json.loads(
        run_cli(
            "score", "-r", str(data_path("en", "ref")), str(data_path("en", "sysB")), *args
        ).stdout
    )
    assert one["systems"] == two["systems"]


def test_reference_files_of_different_lengths_are_one_line(tmp_path):
    a, b, h = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "h.txt"
    a.write_text("x\ny\n")
    b.write_text("x\n")
    h.write_text("x\ny\n")
    proc = run_cli("score", "-r", str(a), str(b), "-i", str(h), "-l", "en")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"evalkit score: error: reference files differ in line count: {a} has 2, {b} has 1"
    ]


def test_single_reference_scorers_refuse_several():
    from evalkit.errors import ConfigError
    from evalkit.scorers.base import single_references

    assert single_references(["a", ("b",)], "comet") == ["a", "b"]
    with pytest.raises(ConfigError, match="comet takes one reference per segment; segment 2 has 2"):
        single_references(["a", ("b", "c")], "comet")

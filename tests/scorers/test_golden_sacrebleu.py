"""sacrebleu's published test cases, through evalkit's Python API and ``evalkit score``.

Every evalkit number equals sacrebleu's own (computed here, to the last digit), and
sacrebleu's equals the number its test file publishes (within that file's tolerance).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from golden_cases import (
    BLEU_FROM_STATISTICS,
    BLEU_STATISTICS,
    CORPUS_BLEU,
    CORPUS_CHRF,
    CORPUS_TER,
    SENTENCE_BLEU,
    SENTENCE_BLEU_PAIR,
    SENTENCE_BLEU_TOLERANCE,
    SENTENCE_BLEU_ZERO,
    SENTENCE_CHRF,
)
from helpers import run_cli

from evalkit.scorers import get_scorer


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)


def evalkit_cli(
    tmp_path: Path,
    metric: str,
    hyps: list[str],
    streams: list[list[str]],
    options: dict[str, Any],
    *extra: str,
) -> dict[str, Any]:
    """The system entry of ``evalkit score`` on files holding ``hyps`` and ``streams``."""
    refs = []
    for i, stream in enumerate(streams):
        path = tmp_path / f"ref{i}.txt"
        path.write_text("".join(s + "\n" for s in stream), encoding="utf-8")
        refs.append(str(path))
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("".join(h + "\n" for h in hyps), encoding="utf-8")
    opts = [a for k, v in options.items() for a in ("--scorer-option", f"{metric}.{k}={_toml(v)}")]
    proc = run_cli(
        "score", "-r", *refs, "-i", str(hyp), "-l", "en", "-m", metric,
        "--n-resamples", "0", "--format", "json", *opts, *extra,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["systems"][str(hyp)]  # type: ignore[no-any-return]


def _per_segment(streams: list[list[str]]) -> list[str | tuple[str, ...]]:
    return [r[0] if len(r) == 1 else tuple(r) for r in zip(*streams, strict=True)]


def _api(metric: str, hyps: list[str], streams: list[list[str]], options: dict[str, Any]):
    scorer = get_scorer(metric, lang="en", **options)
    stats = scorer.segment_stats(hyps=hyps, refs=_per_segment(streams))
    return scorer, stats


def _sacrebleu_bleu(options: dict[str, Any]):
    from sacrebleu.metrics import BLEU

    return BLEU(
        tokenize=options.get("tokenize", "13a"),
        lowercase=options.get("lowercase", False),
        smooth_method=options.get("smooth_method", "exp"),
        smooth_value=options.get("smooth_value"),
        effective_order=options.get("effective_order", False),
        max_ngram_order=options.get("max_ngram_order", 4),
    )


@pytest.mark.parametrize(
    ("hyps", "streams", "options", "published", "tol"),
    [pytest.param(*c[1:], id=c[0]) for c in CORPUS_BLEU],
)
def test_corpus_bleu(tmp_path, hyps, streams, options, published, tol):
    expected = _sacrebleu_bleu(options).corpus_score(hyps, streams)
    assert abs(expected.score - published) < tol
    scorer, stats = _api("bleu", hyps, streams, options)
    totals = stats.sum(0)
    assert scorer.score_from_totals(totals) == expected.score
    comps = scorer.components(totals)
    orders = range(1, scorer.order + 1)
    assert [comps[f"correct_{n}"] for n in orders] == expected.counts
    assert [comps[f"total_{n}"] for n in orders] == expected.totals
    assert (comps["hyp_len"], comps["ref_len"]) == (expected.sys_len, expected.ref_len)
    # the vectorised form (bootstrap resamples) agrees to rounding
    assert scorer.scores_from_totals(totals[None])[0] == pytest.approx(expected.score, abs=1e-9)
    cli = evalkit_cli(tmp_path, "bleu", hyps, streams, options)
    assert cli["scores"]["bleu"]["score"] == expected.score
    assert cli["scores"]["bleu"]["components"][f"total_{scorer.order}"] == expected.totals[-1]
    sig = cli["scores"]["bleu"]["signature"]
    assert sig.startswith(f"nrefs:{len(streams)}|")
    assert ("eff:yes" in sig) == bool(options.get("effective_order"))


def test_bleu_statistics():
    hyp, ref, correct, total = BLEU_STATISTICS
    scorer, stats = _api("bleu", [hyp], [[ref]], {"tokenize": "none"})
    comps = scorer.components(stats.sum(0))
    assert [comps[f"correct_{n}"] for n in range(1, 5)] == correct
    assert [comps[f"total_{n}"] for n in range(1, 5)] == total


@pytest.mark.parametrize(
    ("correct", "total", "sys_len", "ref_len", "method", "value", "published"), BLEU_FROM_STATISTICS
)
def test_bleu_from_statistics(correct, total, sys_len, ref_len, method, value, published):
    import numpy as np
    from sacrebleu.metrics import BLEU

    expected = BLEU.compute_bleu(
        list(correct), list(total), sys_len, ref_len, smooth_method=method, smooth_value=value
    ).score
    assert abs(expected - published) < 1e-6
    opts = {"smooth_method": method, **({"smooth_value": value} if value is not None else {})}
    scorer = get_scorer("bleu", lang="en", **opts)
    totals = np.array([sys_len, ref_len, *correct, *total], dtype=float)
    assert scorer.score_from_totals(totals) == expected
    assert scorer.scores_from_totals(totals[None])[0] == pytest.approx(expected, abs=1e-9)


def _sentence_options(method: str, value: float | None, lower: bool, tok: str) -> dict[str, Any]:
    opts: dict[str, Any] = {"smooth_method": method, "tokenize": tok}
    if value is not None:
        opts["smooth_value"] = float(value)
    if lower:
        opts["lowercase"] = True
    return opts


@pytest.mark.parametrize(("method", "value", "lower", "tok", "published"), SENTENCE_BLEU)
def test_sentence_bleu(tmp_path, method, value, lower, tok, published):
    from sacrebleu.metrics import BLEU

    hyp, ref = SENTENCE_BLEU_PAIR
    metric = BLEU(lowercase=lower, tokenize=tok, smooth_method=method, smooth_value=value,
                  effective_order=True)  # fmt: skip
    expected = metric.sentence_score(hyp, [ref]).score
    assert abs(expected - published) < SENTENCE_BLEU_TOLERANCE
    options = _sentence_options(method, value, lower, tok)
    scorer, stats = _api("bleu", [hyp], [[ref]], options)
    assert scorer.segment_scores(stats)[0] == expected
    cli = evalkit_cli(tmp_path, "bleu", [hyp], [[ref]], options, "--sentence-level")
    assert cli["segments"][0]["bleu"] == expected


@pytest.mark.parametrize("method", ["exp", "none", "floor", "add-k"])
def test_sentence_bleu_zero(method):
    hyp, ref = SENTENCE_BLEU_ZERO
    scorer, stats = _api("bleu", [hyp], [[ref]], {"smooth_method": method})
    assert scorer.segment_scores(stats)[0] == 0.0


@pytest.mark.parametrize(
    ("hyps", "ref", "options", "published", "tol"),
    [pytest.param(*c[1:], id=c[0]) for c in CORPUS_CHRF],
)
def test_corpus_chrf(tmp_path, hyps, ref, options, published, tol):
    from sacrebleu.metrics import CHRF

    expected = CHRF(**options).corpus_score(hyps, [ref]).score
    assert abs(expected - published) < tol
    scorer, stats = _api("chrf", hyps, [ref], options)
    assert scorer.score_from_totals(stats.sum(0)) == expected
    cli = evalkit_cli(tmp_path, "chrf", hyps, [ref], options)
    assert cli["scores"]["chrf"]["score"] == expected
    comps = cli["scores"]["chrf"]["components"]
    assert [comps["char1_hyp"], comps["char1_ref"], comps["char1_match"]] == list(stats.sum(0)[:3])


@pytest.mark.parametrize(("hyp", "ref", "published"), SENTENCE_CHRF)
def test_sentence_chrf(tmp_path, hyp, ref, published):
    from sacrebleu.metrics import CHRF

    expected = CHRF(eps_smoothing=True).sentence_score(hyp, [ref]).score
    assert abs(expected - published) < 1e-4
    scorer, stats = _api("chrf", [hyp], [[ref]], {"eps_smoothing": True})
    assert scorer.segment_scores(stats)[0] == expected
    cli = evalkit_cli(tmp_path, "chrf", [hyp], [[ref]], {"eps_smoothing": True}, "--sentence-level")
    assert cli["segments"][0]["chrf"] == expected


@pytest.mark.parametrize(
    ("hyps", "refs", "published"), [pytest.param(*c[1:], id=c[0]) for c in CORPUS_TER]
)
def test_corpus_ter(tmp_path, hyps, refs, published):
    from sacrebleu.metrics import TER

    expected = TER().corpus_score(hyps, [refs])
    assert abs(expected.score - 100 * published) < 1e-3
    scorer, stats = _api("ter", hyps, [refs], {})
    assert scorer.score_from_totals(stats.sum(0)) == expected.score
    cli = evalkit_cli(tmp_path, "ter", hyps, [refs], {})
    assert cli["scores"]["ter"]["score"] == expected.score
    comps = cli["scores"]["ter"]["components"]
    assert (comps["edits"], comps["ref_len"]) == (expected.num_edits, expected.ref_length)
    assert cli["degenerate"]["count"] == sum(1 for h in hyps if not h.strip())

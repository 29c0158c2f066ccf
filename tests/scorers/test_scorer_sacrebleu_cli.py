"""BLEU, chrF, chrF++ and TER equal the sacrebleu command line to the last digit (en, ko, ja)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_cli
from scorer_data import LANGS, TOKENIZERS, data_path

WIDTH = 12


def sacrebleu_cli(ref: Path, hyp: Path, *args: str) -> list[str]:
    """Scores printed by ``python -m sacrebleu REF -i HYP ARGS -b -w 12 -f text``, one a line."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sacrebleu",
            str(ref),
            "-i",
            str(hyp),
            *args,
            "-b",
            "-w",
            str(WIDTH),
            "-f",
            "text",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ref.parent,
    )
    return proc.stdout.strip().splitlines()


def evalkit_json(*args: str) -> dict:
    proc = run_cli("score", *args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def corpus_reports() -> dict[str, dict]:
    """One ``evalkit score`` run per language: two systems, four metrics."""
    out = {}
    for lang in LANGS:
        out[lang] = evalkit_json(
            "-r",
            str(data_path(lang, "ref")),
            "-i",
            str(data_path(lang, "sysA")),
            str(data_path(lang, "sysB")),
            "-l",
            lang,
            "-m",
            "bleu",
            "chrf",
            "chrf++",
            "ter",
            "--n-resamples",
            "0",
        )
    return out


def _score(report: dict, lang: str, system: str, metric: str) -> str:
    return f"{report['systems'][str(data_path(lang, system))]['scores'][metric]['score']:.{WIDTH}f}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("system", ["sysA", "sysB"])
def test_bleu_chrf_equal_sacrebleu_cli(corpus_reports, lang, system):
    ref, hyp = data_path(lang, "ref"), data_path(lang, system)
    bleu, chrf = sacrebleu_cli(ref, hyp, "-m", "bleu", "chrf", "-tok", TOKENIZERS[lang])
    (chrfpp,) = sacrebleu_cli(ref, hyp, "-m", "chrf", "--chrf-word-order", "2")
    report = corpus_reports[lang]
    assert _score(report, lang, system, "bleu") == bleu
    assert _score(report, lang, system, "chrf") == chrf
    assert _score(report, lang, system, "chrf++") == chrfpp
    sig = report["systems"][str(hyp)]["scores"]["bleu"]["signature"]
    assert f"tok:{TOKENIZERS[lang]}" in sig


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("system", ["sysA", "sysB"])
def test_ter_equals_sacrebleu_cli(corpus_reports, lang, system, tmp_path):
    """English: sacrebleu's TER as is. Korean/Japanese: on the MeCab-segmented files,
    the pre-tokenization evalkit applies (and names in the signature)."""
    ref, hyp = data_path(lang, "ref"), data_path(lang, system)
    report = corpus_reports[lang]
    sig = report["systems"][str(hyp)]["scores"]["ter"]["signature"]
    assert report["systems"][str(hyp)]["scores"]["ter"]["components"]["noshift_segments"] == 0
    if lang != "en":
        from sacrebleu.tokenizers.tokenizer_ja_mecab import TokenizerJaMecab
        from sacrebleu.tokenizers.tokenizer_ko_mecab import TokenizerKoMecab

        tok = TokenizerKoMecab() if lang == "ko" else TokenizerJaMecab()
        assert f"pretok:{tok.signature()}" in sig
        for src in (ref, hyp):
            lines = src.read_text(encoding="utf-8").splitlines()
            (tmp_path / src.name).write_text(
                "".join(tok(ln.rstrip()) + "\n" for ln in lines), encoding="utf-8"
            )
        ref, hyp = tmp_path / ref.name, tmp_path / hyp.name
    (ter,) = sacrebleu_cli(ref, hyp, "-m", "ter")
    assert _score(report, lang, system, "ter") == ter


def test_ter_asian_support_option_equals_cli(segments):
    """sacrebleu's own CJK handling, available as options, also matches its CLI."""
    from evalkit.scorers import get_scorer

    scorer = get_scorer("ter", lang="ja", tokenize="none", normalized=True, asian_support=True)
    stats = scorer.segment_stats(hyps=segments["ja"]["sysA"], refs=segments["ja"]["ref"])
    (expected,) = sacrebleu_cli(
        data_path("ja", "ref"),
        data_path("ja", "sysA"),
        "-m",
        "ter",
        "--ter-normalized",
        "--ter-asian-support",
    )
    assert f"{scorer.score_from_totals(stats.sum(0)):.{WIDTH}f}" == expected
    assert (
        "norm:yes|punct:yes|asian:yes" in scorer.signature() and "pretok" not in scorer.signature()
    )


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_sentence_level_equals_cli(lang):
    ref, hyp = data_path(lang, "ref"), data_path(lang, "sysB")
    report = evalkit_json(
        "-r",
        str(ref),
        "-i",
        str(hyp),
        "-l",
        lang,
        "-m",
        "bleu",
        "chrf",
        "--sentence-level",
        "--n-resamples",
        "0",
    )
    segs = report["systems"][str(hyp)]["segments"]
    bleu = sacrebleu_cli(ref, hyp, "-m", "bleu", "-tok", TOKENIZERS[lang], "--sentence-level")
    chrf = sacrebleu_cli(ref, hyp, "-m", "chrf", "--sentence-level")
    assert [f"{s['bleu']:.{WIDTH}f}" for s in segs] == bleu
    assert [f"{s['chrf']:.{WIDTH}f}" for s in segs] == chrf
    assert "eff:yes" in report["segment_signatures"]["bleu"]


def test_default_width_output_matches(corpus_reports):
    """At sacrebleu's default one decimal too (what a user compares by eye)."""
    ref, hyp = data_path("ko", "ref"), data_path("ko", "sysA")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sacrebleu",
            str(ref),
            "-i",
            str(hyp),
            "-m",
            "bleu",
            "-tok",
            "ko-mecab",
            "-b",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    score = corpus_reports["ko"]["systems"][str(hyp)]["scores"]["bleu"]["score"]
    assert f"{score:.1f}" == proc.stdout.strip()


def test_scorer_options_on_the_command_line_equal_cli_flags(tmp_path):
    """``--scorer-option`` reaches the scorer: BLEU lowercased and floor-smoothed, TER
    normalized, each equal to the sacrebleu command line with the same flags (on a
    lowercased system, so that case matters)."""
    ref, hyp = data_path("en", "ref"), tmp_path / "sysA.lower.txt"
    hyp.write_text(data_path("en", "sysA").read_text(encoding="utf-8").lower(), encoding="utf-8")
    report = evalkit_json(
        "-r",
        str(ref),
        "-i",
        str(hyp),
        "-l",
        "en",
        "-m",
        "bleu",
        "ter",
        "--n-resamples",
        "0",
        "--scorer-option",
        "bleu.lowercase=true",
        "--scorer-option",
        "bleu.smooth_method=floor",
        "--scorer-option",
        "bleu.smooth_value=0.5",
        "--scorer-option",
        "ter.normalized=true",
    )
    (bleu,) = sacrebleu_cli(ref, hyp, "-m", "bleu", "-lc", "-s", "floor", "-sv", "0.5")
    (ter,) = sacrebleu_cli(ref, hyp, "-m", "ter", "--ter-normalized")
    scores = report["systems"][str(hyp)]["scores"]
    assert f"{scores['bleu']['score']:.{WIDTH}f}" == bleu
    assert f"{scores['ter']['score']:.{WIDTH}f}" == ter
    plain = evalkit_json(
        "-r", str(ref), "-i", str(hyp), "-l", "en", "-m", "bleu", "--n-resamples", "0"
    )
    assert plain["systems"][str(hyp)]["scores"]["bleu"]["score"] < float(bleu)
    assert report["scorer_options"] == {
        "bleu": {"lowercase": True, "smooth_method": "floor", "smooth_value": 0.5},
        "ter": {"normalized": True},
    }
    sig = report["systems"][str(hyp)]["scores"]["bleu"]["signature"]
    assert "case:lc" in sig and "smooth:floor" in sig

"""Scorer options are declared, validated in one place and keyed canonically; target
language codes are read one way; corpus BLEU takes ``effective_order``."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from helpers import run_cli
from hypothesis import given
from hypothesis import strategies as st
from scorer_data import data_path
from test_scorer_differential import SETTINGS

from evalkit.errors import ConfigError
from evalkit.scorers import SCORERS, get_scorer


@pytest.mark.parametrize(
    ("metric", "options", "message"),
    [
        (
            "bleu",
            {"smooth_value": [1]},
            "scorer 'bleu': smooth_value must be a number, got [1] (list)",
        ),
        ("bleu", {"smooth_value": "x"}, "scorer 'bleu': smooth_value must be a number"),
        ("bleu", {"smooth_value": math.nan}, "bleu': smooth_value must be finite, got nan"),
        ("bleu", {"smooth_value": math.inf}, "bleu': smooth_value must be finite, got inf"),
        ("bleu", {"smooth_value": True}, "bleu': smooth_value must be a number, got True (bool)"),
        ("bleu", {"lowercase": 1}, "bleu': lowercase must be true or false, got 1 (int)"),
        ("bleu", {"max_ngram_order": 0}, "bleu': max_ngram_order must be >= 1, got 0"),
        ("bleu", {"max_ngram_order": 2.0}, "bleu': max_ngram_order must be an integer"),
        ("bleu", {"smoth_value": 1}, "scorer 'bleu': unknown option 'smoth_value'; did you mean"),
        ("bleu", {"smoth_value": 1}, "did you mean 'smooth_value'?"),
        (
            "bleu",
            {"smooth_method": "expo"},
            "smooth_method must be one of 'add-k', 'exp', 'floor', 'none', got 'expo';"
            " did you mean 'exp'?",
        ),
        ("ter", {"asian_suport": True}, "did you mean 'asian_support'?"),
        ("rougeL", {"use_stemer": False}, "did you mean 'use_stemmer'?"),
        ("chrf", {"beta": -1}, "scorer 'chrf': beta must be >= 0"),
        (
            "chrf",
            {"word_order": None, "char_order": {"a": 1}},
            "scorer 'chrf': char_order must be an integer",
        ),
        (
            "target_script",
            {"tokenize": "13a"},
            "scorer 'target_script': unknown option 'tokenize' (known: none)",
        ),
        ("comet", {"modle": "x"}, "did you mean 'model'?"),
    ],
)
def test_bad_options_are_one_line_errors(metric, options, message):
    with pytest.raises(ConfigError) as info:
        get_scorer(metric, lang="en", **options)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_every_builtin_declares_its_options():
    for name in SCORERS.builtin_names():
        cls = SCORERS.get(name)
        if not cls.__module__.startswith("evalkit."):
            continue  # test scorers other tests' helpers register by "module:attr"
        declared = cls.declared_options
        assert declared is not None, name
        assert len({o.name for o in declared}) == len(declared), name


def test_cache_key_is_canonical():
    a = get_scorer("bleu", lang="en", smooth_method="floor", smooth_value=1)
    b = get_scorer("bleu", lang="en", smooth_value=1.0, smooth_method="floor")
    assert a is b and a.smooth_value == 1.0
    assert get_scorer("bleu", lang="KO") is get_scorer("bleu", lang=" ko ")


def test_plugin_scorer_without_declarations_is_checked_by_signature():
    from evalkit.scorers.options import validate_scorer_options
    from evalkit.scorers.simple import LengthRatioScorer

    class Plugin(LengthRatioScorer):
        name = "plugin"
        declared_options = None

        def __init__(self, *, lang, tokenize=None, weight=1.0):
            super().__init__(lang=lang, tokenize=tokenize)

    assert validate_scorer_options(Plugin, {"weight": 2}) == {"weight": 2}
    with pytest.raises(
        ConfigError, match="scorer 'plugin': unknown option 'wieght'; did you mean 'weight'"
    ):
        validate_scorer_options(Plugin, {"wieght": 2})
    with pytest.raises(ConfigError, match="scorer 'plugin': weight must be finite, got inf"):
        validate_scorer_options(Plugin, {"weight": math.inf})


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "bleu.smooth_value=[1]",
            "scorer 'bleu': smooth_value must be a number, got [1] (list)",
        ),
        (
            "bleu.smooth_value=nan",
            "scorer 'bleu': smooth_value must be finite, got nan",
        ),
        (
            "bleu.smooth_value=inf",
            "scorer 'bleu': smooth_value must be finite, got inf",
        ),
        ("bleu.smooth_value={a=1}", "scorer 'bleu': smooth_value must be a number"),
        ("bleu.smoth_value=1", "did you mean 'smooth_value'?"),
        ("bleu.lowercase=yes", "scorer 'bleu': lowercase must be true or false, got 'yes' (str)"),
    ],
)
def test_bad_scorer_options_on_the_command_line(option, message):
    proc = run_cli(
        "score", "-r", str(data_path("en", "ref")), "-i", str(data_path("en", "sysA")),
        "-l", "en", "-m", "bleu", "--scorer-option", option,
    )  # fmt: skip
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr


def _bleu_json(*args: str) -> dict:
    proc = run_cli(
        "score", "-r", str(data_path("ko", "ref")), "-i", str(data_path("ko", "sysA")),
        "-m", "bleu", "ter", "--n-resamples", "0", "--format", "json", *args,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_language_codes_are_case_insensitive_and_unknown_ones_refused():
    lower = _bleu_json("-l", "ko")
    upper = _bleu_json("-l", "KO")
    assert upper == lower and upper["lang"] == "ko"
    assert (
        "tok:ko-mecab"
        in upper["systems"][str(data_path("ko", "sysA"))]["scores"]["bleu"]["signature"]
    )
    for bad in ("kr", "xx", "korean"):
        proc = run_cli(
            "score", "-r", str(data_path("ko", "ref")), "-i", str(data_path("ko", "sysA")),
            "-l", bad,
        )  # fmt: skip
        assert proc.returncode == 2, bad
        (line,) = proc.stderr.strip().splitlines()
        assert f"unknown target language {bad!r}" in line and "en, es" in line and "ko" in line
    kr = run_cli(
        "score", "-r", str(data_path("ko", "ref")), "-i", str(data_path("ko", "sysA")), "-l", "kr"
    )
    assert "country code, did you mean 'ko'?" in kr.stderr
    # an explicit tokenizer scores any language
    explicit = _bleu_json("-l", "kr", "--tokenize", "ko-mecab")
    assert explicit["systems"] == lower["systems"]


def test_unknown_language_in_the_library():
    with pytest.raises(ConfigError, match="unknown target language 'KR'"):
        get_scorer("bleu", lang="KR")
    assert get_scorer("bleu", lang="KR", tokenize="13a").lang == "kr"
    assert get_scorer("chrf", lang="KR").lang == "kr"  # chrF picks no tokenizer


@SETTINGS
@given(
    st.lists(st.integers(0, 40), min_size=10, max_size=10),
    st.sampled_from(["exp", "floor", "add-k", "none"]),
)
def test_effective_order_vectorised_equals_sacrebleu(values, smooth):
    from sacrebleu.metrics.bleu import BLEU

    t = np.array(values, dtype=float)
    t[2:6] = np.minimum(t[2:6], t[6:10])
    t[6:10] = np.sort(t[6:10])[::-1]  # totals shrink with the order, as in real counts
    scorer = get_scorer("bleu", lang="en", smooth_method=smooth, effective_order=True)
    expected = BLEU.compute_bleu(
        [int(x) for x in t[2:6]], [int(x) for x in t[6:10]], int(t[0]), int(t[1]),
        smooth_method=smooth, effective_order=True,
    ).score  # fmt: skip
    assert scorer.score_from_totals(t) == expected
    assert scorer.scores_from_totals(t[None])[0] == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert "eff:yes" in scorer.signature()


@pytest.mark.parametrize(("metric", "key"), [("bertscore", "layr"), ("comet", "modle")])
def test_constructing_a_scorer_directly_checks_its_options(metric, key):
    """The base class checks the declaration too: no path around the one validation."""
    with pytest.raises(ConfigError, match=f"scorer '{metric}': unknown option '{key}'"):
        SCORERS.get(metric)(lang="en", **{key: 1})


def test_scorer_declarations_are_the_options_of_systems():
    from evalkit.options import Option
    from evalkit.scorers.options import ScorerOption, describe_options

    bleu = SCORERS.get("bleu")
    assert all(type(o) is Option for o in bleu.declared_options)
    lines = describe_options(bleu)
    assert "smooth_method (a string, one of 'add-k', 'exp', 'floor', 'none'; default 'exp'): " in (
        "\n".join(lines)
    )
    old = ScorerOption("n", int, 2, minimum=1, help="order")  # a 0.1 plugin's declaration
    assert type(old) is Option and old.doc == "order"
    with pytest.raises(ConfigError, match="scorer 'x': n must be >= 1, got 0"):
        from evalkit.options import validate

        validate({"n": 0}, (old,), where="scorer 'x'")

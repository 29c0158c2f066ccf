"""evalkit.options: one declaration, one validation, one canonical form."""

import math
import re

import pytest

from evalkit.didyoumean import closest
from evalkit.errors import ConfigError
from evalkit.option_checks import at_least, http_url, keys_in, non_negative, positive
from evalkit.options import Option, canonical, check_value, declare, parse_text, validate

DECLARED = (
    Option("timeout", float, 60.0, "seconds", check=positive, identity=False),
    Option("retries", int, 3, "extra attempts", check=non_negative, identity=False),
    Option("model", str, doc="model name", required=True),
    Option("stop", list, None, "stop strings", items=str),
    Option("extra", dict, {}, "merged into requests"),
    Option("mode", str, "fast", choices=("fast", "slow")),
    Option("level", int, None, check=at_least(2)),
    Option("url", str, None, check=http_url),
)


def check(table):
    return validate(table, DECLARED, where="[systems.x]", path="evalkit.toml")


def error(table):
    with pytest.raises(ConfigError) as info:
        check(table)
    text = str(info.value)
    assert "\n" not in text and text.startswith("evalkit.toml: [systems.x]: ")
    return text


def test_defaults_are_filled_and_numbers_normalized():
    values = check({"model": "m", "timeout": 5})
    assert values == {
        "timeout": 5.0,
        "retries": 3,
        "model": "m",
        "stop": None,
        "extra": {},
        "mode": "fast",
        "level": None,
        "url": None,
    }
    assert isinstance(values["timeout"], float)


@pytest.mark.parametrize(
    "key, suggestion",
    [("timout", "timeout"), ("retry", "retries"), ("modell", "model"), ("Stop", "stop")],
)
def test_unknown_key_names_it_and_the_closest(key, suggestion):
    text = error({"model": "m", key: 1})
    assert f"unknown key {key!r}; did you mean {suggestion!r}?" in text


def test_unknown_key_without_a_close_name_lists_the_known_ones():
    text = error({"model": "m", "zzzzzz": 1})
    assert "did you mean" not in text and "known: extra, level, mode, model" in text


def test_unknown_key_is_reported_before_a_missing_required_one():
    assert "did you mean 'model'" in error({"modl": "m"})
    assert "'model' is required" in error({})


@pytest.mark.parametrize(
    "table, fragment",
    [
        ({"timeout": math.nan}, "timeout must be finite, got nan"),
        ({"timeout": math.inf}, "timeout must be finite, got inf"),
        ({"timeout": -math.inf}, "timeout must be finite"),
        ({"timeout": "5"}, "timeout must be a number, got '5'"),
        ({"timeout": True}, "timeout must be a number, got True"),
        ({"timeout": 0}, "timeout must be positive, got 0.0"),
        ({"retries": "three"}, "retries must be an integer, got 'three'"),
        ({"retries": 2.5}, "retries must be an integer, got 2.5"),
        ({"retries": -1}, "retries must be >= 0"),
        ({"model": 5}, "model must be a string, got 5"),
        ({"stop": ["a", 1]}, "stop must be a list of strings"),
        ({"stop": "a"}, "stop must be a list of strings"),
        ({"extra": {"a": [1.0, math.nan]}}, "extra must be finite"),
        ({"mode": "fsat"}, "mode must be one of 'fast', 'slow', got 'fsat'; did you mean 'fast'?"),
        ({"mode": 1}, "mode must be a string, got 1 (int)"),
        ({"level": 1}, "level must be >= 2, got 1"),
        ({"level": True}, "level must be an integer, got True (bool)"),
        ({"model": None}, "model must be a string, got None"),
        ({"url": "http://h:99999/v1"}, "Port out of range"),
        ({"url": "ftp://h/"}, "must be an http(s) URL"),
        ({"url": "http://h:0/"}, "port of 1-65535"),
    ],
)
def test_bad_values_are_one_line_naming_the_key(table, fragment):
    assert fragment in error({"model": "m", **table})


def test_canonical_is_the_same_for_the_same_settings():
    a = check({"model": "m"})
    b = check({"model": "m", "timeout": 60, "retries": 3, "mode": "fast"})  # defaults given
    c = check({"model": "m", "timeout": 5.0, "retries": 0})  # runtime-only options
    assert canonical(a, DECLARED) == canonical(b, DECLARED) == canonical(c, DECLARED)
    assert canonical(a, DECLARED) == '{"model":"m"}'
    d = check({"model": "m", "mode": "slow", "extra": {"b": 2.0, "a": 1}})
    assert canonical(d, DECLARED) == '{"extra":{"a":1,"b":2},"mode":"slow","model":"m"}'
    assert canonical(d, DECLARED) != canonical(a, DECLARED)


def test_declare_replaces_by_name():
    base = (Option("batch_size", int, 8), Option("version", str))
    merged = declare(base, (Option("batch_size", int, 64),))
    assert [o.name for o in merged] == ["batch_size", "version"]
    assert merged[0].default == 64


def test_ignored_keys_belong_to_the_caller():
    assert validate({"kind": "x"}, (Option("a", int, 1),), where="t", ignore=("kind",)) == {"a": 1}


def test_parse_text_reads_command_line_values():
    assert parse_text(Option("smooth_value", float), "0.1") == 0.1
    assert parse_text(Option("n", int), "3") == 3
    assert parse_text(Option("on", bool), "true") is True
    assert parse_text(Option("name", str), "[1]") == "[1]"
    assert parse_text(Option("stop", list, items=str), '["a", "b"]') == ["a", "b"]
    assert parse_text(Option("path", str), " /models/comet ") == "/models/comet"
    assert parse_text(Option("method", str), '"floor"') == "floor"
    assert parse_text(Option("method", str), "true") == "true"
    assert parse_text(None, "/models/comet") == "/models/comet"  # not TOML: kept as text
    assert parse_text(None, "8") == 8
    for opt, text, message in [
        (Option("smooth_value", float), "[1]", "must be a number, got [1] (list)"),
        (Option("smooth_value", float), "nan", "must be finite, got nan"),
        (Option("n", int), "abc", "must be an integer, got 'abc' (str)"),
    ]:
        with pytest.raises(ValueError, match=re.escape(f"{opt.name} {message}")):
            check_value(opt, parse_text(opt, text))


def test_none_is_unset_only_where_the_default_is():
    assert validate({"a": None}, (Option("a", int),), where="t") == {"a": None}
    with pytest.raises(ConfigError, match=r"t: a must be an integer, got None \(NoneType\)"):
        validate({"a": None}, (Option("a", int, 3),), where="t")


def test_without_defaults_only_the_given_keys_come_back():
    declared = (Option("a", int, 1), Option("b", float, 2.0))
    assert validate({"b": 3}, declared, where="t", defaults=False) == {"b": 3.0}


def test_describe_names_type_choices_and_default():
    opt = Option("smooth_method", str, "exp", "smoothing", choices=("exp", "floor"))
    assert opt.describe() == (
        "smooth_method (a string, one of 'exp', 'floor'; default 'exp'): smoothing"
    )


def test_keys_in_and_closest():
    assert keys_in("translation", "summarization")({"translaton": "x"}).startswith(
        "has an unknown key 'translaton'; did you mean 'translation'?"
    )
    assert closest("batchsize", ["batch_size", "timeout"]) == "batch_size"
    assert closest("TIMEOUT", ["batch_size", "timeout"]) == "timeout"
    assert closest("qqq", ["batch_size", "timeout"]) is None


def test_checks_keep_their_earlier_import_path():
    """Plugins declared options with ``from evalkit.options import positive, one_of``."""
    import evalkit.option_checks as checks
    import evalkit.options as options

    for name in ("positive", "non_negative", "non_empty", "keys_in", "http_url", "all_of"):
        assert getattr(options, name) is getattr(checks, name)
    opt = Option("mode", str, "a", check=options.one_of("auto", "fast"))
    assert check_value(opt, "fast") == "fast"
    with pytest.raises(ValueError, match=r"mode must be one of 'auto', 'fast' \(did you mean"):
        check_value(opt, "fsat")
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        options.nothing  # noqa: B018

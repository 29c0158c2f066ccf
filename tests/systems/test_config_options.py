"""Options of evalkit.toml: every unknown name or bad value is one line naming it, exit 2."""

import json
import math
import textwrap

import pytest
from helpers import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.config import load_config
from evalkit.errors import ConfigError, EvalkitError
from evalkit.systems.resolve import resolve_system

COMMAND = '[systems.mine]\nkind = "command"\ncommand = ["python", "t.py"]\n'
OPENAI = '[systems.mine]\nkind = "openai"\nmodel = "m"\n'
URL = 'base_url = "http://127.0.0.1:8000/v1"\n'

CASES = [
    # (configuration, what the one line must say)
    (COMMAND + "timout = 5\n", "unknown key 'timout'; did you mean 'timeout'?"),
    (COMMAND + "batchsize = 4\n", "unknown key 'batchsize'; did you mean 'batch_size'?"),
    (
        '[systems.mine]\nkind = "command"\ncomand = ["python", "t.py"]\n',
        "unknown key 'comand'; did you mean 'command'?",
    ),
    (
        '[system.mine]\nkind = "command"\ncommand = ["python", "t.py"]\n',
        "unknown table 'system'; did you mean 'systems'?",
    ),
    ('[systems.mine]\nkind = "comand"\n', "unknown kind 'comand'; did you mean 'command'?"),
    (COMMAND + "timeout = nan\n", "timeout must be finite, got nan"),
    (COMMAND + "timeout = inf\n", "timeout must be finite, got inf"),
    (COMMAND + 'batch_size = "x"\n', "batch_size must be an integer, got 'x'"),
    (COMMAND + 'command = "python t.py"\n', "invalid TOML"),
    ('[systems.mine]\nkind = "command"\ncommand = "python t.py"\n', "never a shell string"),
    (OPENAI + URL + 'retries = "abc"\n', "retries must be an integer, got 'abc'"),
    (OPENAI + URL + 'retries = "three"\n', "retries must be an integer, got 'three'"),
    (OPENAI + URL + 'backoff = "abc"\n', "backoff must be a number, got 'abc'"),
    (OPENAI + 'base_url = "http://127.0.0.1:99999/v1"\n', "base_url must be an http(s) URL"),
    (OPENAI + URL + "temperature = nan\n", "temperature must be finite"),
    (OPENAI + URL + 'prompts = {translaton = "{text}"}\n', "did you mean 'translation'?"),
    (OPENAI + URL + "extra_body = {top_p = inf}\n", "extra_body must be finite"),
    ('[systems.mine]\nkind = "outputs"\npath = 5\n', "path must be a string, got 5"),
    ('[systems.mine]\nkind = "python"\ncallable = "m:f"\npath = [1]\n', "path must be"),
    ('[systems.mine]\nkind = "lead"\nsentences = 0\n', "sentences must be positive"),
    ('[systems.mine]\nkind = "lead"\nsentence = 3\n', "did you mean 'sentences'?"),
    ("[check]\nmaxdrop = {bleu = 1.0}\n", "unknown table 'maxdrop'; did you mean 'max_drop'?"),
    ("timeout = 5\n", "unknown key 'timeout'"),
]


@pytest.mark.parametrize("text, fragment", CASES)
def test_bad_configuration_is_one_line(tmp_path, text, fragment):
    (tmp_path / "evalkit.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
        resolve_system("mine", cwd=tmp_path)
    message = str(info.value)
    assert fragment in message and "\n" not in message
    assert message.startswith(str(tmp_path / "evalkit.toml"))


@pytest.mark.parametrize(
    "text, fragment",
    [CASES[0], CASES[3], CASES[5], CASES[7], CASES[11], CASES[13], CASES[17]],
)
def test_cli_prints_one_line_and_exits_2(tmp_path, text, fragment):
    (tmp_path / "evalkit.toml").write_text(text, encoding="utf-8")
    res = run_cli("run", "--system", "mine", cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr
    assert fragment in lines[0] and "evalkit.toml" in lines[0]


def test_pyproject_names_its_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.evalkit.systems.mine]\nkind = "command"\ncommand = ["a"]\ntimout = 1\n'
        '[tool.evalkit.system.other]\nkind = "lead"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"\[tool.evalkit\]: unknown table 'system'"):
        load_config(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.evalkit.systems.mine]\nkind = "command"\ncommand = ["a"]\ntimout = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"\[tool.evalkit.systems.mine\]: unknown key 'timout'"):
        resolve_system("mine", cwd=tmp_path)


def test_a_table_is_checked_when_its_system_is_named(tmp_path):
    (tmp_path / "evalkit.toml").write_text(
        COMMAND + 'description = "ok"\n[systems.other]\nkind = "plugin-kind"\ntimout = 1\n',
        encoding="utf-8",
    )
    assert resolve_system("mine", cwd=tmp_path).values["description"] == "ok"
    with pytest.raises(ConfigError, match=r"\[systems.other\]: unknown kind 'plugin-kind'"):
        resolve_system("other", cwd=tmp_path)


def test_unknown_scorer_table_suggests_the_metric(tmp_path):
    from evalkit.config import scorer_options

    (tmp_path / "evalkit.toml").write_text("[scorers.bleuu]\nsmooth_value = 0.1\n")
    with pytest.raises(ConfigError, match="unknown scorer 'bleuu'; did you mean 'bleu'"):
        scorer_options(load_config(tmp_path), ["bleu"])


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ("smoth_value = 0.1", "[scorers.bleu]: unknown option 'smoth_value'; did you mean"),
        ("smooth_value = nan", "[scorers.bleu]: smooth_value must be finite, got nan"),
        ('smooth_method = "expo"', "smooth_method must be one of 'add-k', 'exp', 'floor', 'none'"),
        ("max_ngram_order = 0", "[scorers.bleu]: max_ngram_order must be >= 1, got 0"),
    ],
)
def test_scorer_tables_are_checked_against_the_declaration_naming_the_file(
    tmp_path, table, fragment
):
    """Systems and scorers share one declaration and validation (evalkit.options)."""
    from evalkit.config import scorer_options

    (tmp_path / "evalkit.toml").write_text(f"[scorers.bleu]\n{table}\n")
    with pytest.raises(ConfigError) as info:
        scorer_options(load_config(tmp_path), ["bleu"])
    text = str(info.value)
    assert text.startswith(str(tmp_path / "evalkit.toml")) and fragment in text, text
    assert "\n" not in text


def test_scorer_tables_are_normalized_like_system_tables(tmp_path):
    from evalkit.config import scorer_options

    (tmp_path / "evalkit.toml").write_text("[scorers.bleu]\nsmooth_value = 1\n")
    options = scorer_options(load_config(tmp_path), ["bleu"])
    assert options == {"bleu": {"smooth_value": 1.0}}
    assert isinstance(options["bleu"]["smooth_value"], float)


def test_valid_options_are_normalized_and_runtime_ones_keep_the_key(tmp_path):
    base = '[systems.mine]\nkind = "command"\ncommand = ["python", "t.py"]\n'
    (tmp_path / "evalkit.toml").write_text(base, encoding="utf-8")
    plain = resolve_system("mine", cwd=tmp_path)
    (tmp_path / "evalkit.toml").write_text(
        base + "timeout = 5\nbatch_size = 8\npersistent = true\n", encoding="utf-8"
    )
    tuned = resolve_system("mine", cwd=tmp_path)
    assert tuned.timeout == 5.0 and isinstance(tuned.timeout, float) and tuned.persistent
    assert (
        plain.spec()
        == tuned.spec()
        == {
            "name": "mine",
            "kind": "command",
            "command": ["python", "t.py"],
        }
    )
    (tmp_path / "evalkit.toml").write_text(base + 'env = {MODEL = "big"}\n', encoding="utf-8")
    assert resolve_system("mine", cwd=tmp_path).spec()["env"] == {"MODEL": "big"}


def test_plugin_classes_without_declarations_keep_accepting_their_keys():
    from evalkit.systems.base import System

    class Plugin(System):
        def translate_batch(self, requests):
            return [r.text for r in requests]

    system = Plugin("p", {"beam": 4, "batch_size": 2})
    assert system.batch_size == 2 and system.spec()["beam"] == 4
    with pytest.raises(ConfigError, match="batch_size must be an integer"):
        Plugin("p", {"batch_size": "x"})


# -- property: random option tables never crash ---------------------------------------

KEYS = [
    "command", "timeout", "batch_size", "env", "persistent", "version", "max_output_chars",
    "base_url", "model", "api_key_env", "prompts", "retries", "backoff", "backoff_max",
    "temperature", "max_tokens", "extra_body", "max_concurrency", "path", "callable",
    "sentences", "description", "timout", "batchsize", "comand", "Timeout", "task_type",
    "device", "num_beams", "stop", "lang_codes", "dtype", "chat_template", "prompt",
]  # fmt: skip
KINDS = ["command", "openai", "outputs", "python", "lead", "hf", "copy-source", "comand"]
# no ':' in generated text: a "module:function" could name a real module to import
TEXT = st.text(st.characters(blacklist_characters=":", blacklist_categories=("Cs",)), max_size=12)
SCALARS = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    TEXT,
    st.sampled_from(["http://127.0.0.1:99999/v1", "http://127.0.0.1:8/v1", "auto", "seq2seq"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=6,
)


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kind=st.sampled_from(KINDS), table=st.dictionaries(st.sampled_from(KEYS), VALUES))
def test_random_tables_give_a_system_or_one_line(tmp_path, kind, table):
    body = "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in table.items())
    path = tmp_path / "evalkit.toml"
    path.write_text(f'[systems.s]\nkind = "{kind}"\n{body}', encoding="utf-8")
    try:
        system = resolve_system("s", cwd=tmp_path)
    except EvalkitError as exc:
        message = str(exc)
        assert "\n" not in message
        assert message.startswith(str(path)) or "system 's'" in message
        return
    # accepted: every value is finite and the spec is JSON (cache keys, run.json)
    json.dumps(system.spec(), allow_nan=False)
    system.close()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(KINDS[:5]), table=st.dictionaries(st.sampled_from(KEYS), VALUES))
def test_random_tables_through_the_cli_exit_2_with_one_line(tmp_path_factory, kind, table):
    folder = tmp_path_factory.mktemp("cfg")
    body = "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in table.items())
    (folder / "evalkit.toml").write_text(f'[systems.s]\nkind = "{kind}"\n{body}', "utf-8")
    # an accepted system has no examples to answer in week 2099-W01: exit 2 as well
    res = run_cli("run", "--system", "s", "--weeks", "2099-W01", "--no-report", cwd=folder)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr


def test_the_documented_example_is_valid(tmp_path):
    (tmp_path / "evalkit.toml").write_text(
        textwrap.dedent(
            """
            [systems.mytranslator]
            kind = "command"
            command = ["python", "translate.py"]
            timeout = 120
            batch_size = 8

            [systems.qwen]
            kind = "openai"
            base_url = "http://127.0.0.1:8000/v1"
            model = "Qwen2.5-7B-Instruct"
            max_concurrency = 16

            [check.max_drop]
            bleu = 0.5
            """
        ),
        encoding="utf-8",
    )
    assert set(load_config(tmp_path).systems) == {"mytranslator", "qwen"}

"""The Python API: evalkit.evaluate, object registration, lazy top-level names."""

import os
import subprocess
import sys

import pytest
from helpers import REPO

import evalkit
from evalkit.errors import ConfigError, SystemError_, SystemFailure, UnknownNameError
from evalkit.systems import SYSTEMS
from evalkit.systems.base import System
from evalkit.systems.resolve import resolve_system

SMALL = {"pairs": "en-ko", "weeks": ["2023-W41"], "fields": "title", "resamples": 0}


def bleu(result, pair="en-ko"):
    (row,) = [
        s
        for s in result.record.scores
        if s.key == ("2023-W41", "translation", pair, "title", "bleu")
    ]
    return row.score


def test_evaluate_a_registered_name(tmp_path):
    result = evalkit.evaluate("reference", results=str(tmp_path), reports=False, **SMALL)
    assert isinstance(result, evalkit.RunResult)
    assert bleu(result) == pytest.approx(100.0)
    assert (result.run_dir / "run.json").is_file()
    assert result.record.system_name == "reference"
    # the documented plain form: run.json's content
    assert result.meta == result.record.to_dict()
    assert result.meta["scores"][0]["score"] == result.record.scores[0].score


def test_evaluate_a_function_from_texts_to_texts(tmp_path):
    seen = []

    def copy(texts):
        seen.append(len(texts))
        return list(texts)

    result = evalkit.evaluate(copy, results=str(tmp_path), reports=False, **SMALL)
    by_cli_floor = evalkit.evaluate("copy-source", results=str(tmp_path), reports=False, **SMALL)
    assert sum(seen) == len(result.segments) > 0
    assert bleu(result) == bleu(by_cli_floor)
    assert result.record.system["kind"] == "function"
    assert result.run_dir.name.startswith("copy-")
    # the second call answers from the cache
    again = evalkit.evaluate(copy, results=str(tmp_path), reports=False, **SMALL)
    assert again.runner.calls == 0 and sum(seen) == len(result.segments)


def test_a_function_is_told_the_pair_when_it_asks(tmp_path):
    calls = []

    def translate(texts, *, src_lang, tgt_lang):
        calls.append((src_lang, tgt_lang, len(texts)))
        return [f"[{tgt_lang}] {t}" for t in texts]

    result = evalkit.evaluate(
        translate,
        name="tagger",
        results=str(tmp_path),
        reports=False,
        cache=False,
        pairs=["en-ko", "en-ja"],
        weeks="2023-W36 2023-W41",
        fields="title",
        resamples=0,
    )
    assert {(s, t) for s, t, _ in calls} == {("en", "ko"), ("en", "ja")}
    outputs = {s.id: s.output for s in result.segments}
    assert all(out.startswith(f"[{i.rsplit('-', 1)[1]}]") for i, out in outputs.items())


def test_edited_function_is_not_answered_from_the_old_cache(tmp_path):
    first = evalkit.evaluate(lambda texts: texts, name="f", results=str(tmp_path),
                             reports=False, **SMALL)  # fmt: skip
    second = evalkit.evaluate(lambda texts: [t.upper() for t in texts], name="f",
                              results=str(tmp_path), reports=False, **SMALL)  # fmt: skip
    assert second.runner.from_cache == 0 and second.run_dir != first.run_dir


class Upper(System):
    kind = "upper"
    options = System.options

    def __init__(self, name="upper", config=None):
        super().__init__(name, config)
        self.closed = False

    def answer_batch(self, requests):
        return [r.text.upper() for r in requests]

    def close(self):
        self.closed = True


def test_evaluate_a_system_object_and_a_system_class(tmp_path):
    system = Upper("upper", {"batch_size": 3})
    result = evalkit.evaluate(system, results=str(tmp_path), reports=False, **SMALL)
    assert not system.closed  # what the caller passes, the caller closes
    assert all(s.output == s.output.upper() for s in result.segments)
    assert result.runner.calls == -(-len(result.segments) // 3)
    by_class = evalkit.evaluate(Upper, name="upper", results=str(tmp_path), reports=False, **SMALL)
    # the same class, name and options: the same run, resumed
    assert by_class.run_dir == result.run_dir and by_class.runner.calls == 0


def test_registered_objects_resolve_by_name(tmp_path):
    evalkit.register_system("shout", lambda texts: [t.upper() + "!" for t in texts])
    evalkit.register_system("upper-class", Upper)
    evalkit.register_system("upper-object", Upper("upper-object"))
    try:
        assert "shout" in SYSTEMS.names()
        result = evalkit.evaluate("shout", results=str(tmp_path), reports=False, **SMALL)
        assert all(s.output.endswith("!") for s in result.segments)
        assert isinstance(resolve_system("upper-class", cwd=tmp_path), Upper)
        assert resolve_system("upper-object", cwd=tmp_path).name == "upper-object"
    finally:
        for name in ("shout", "upper-class", "upper-object"):
            SYSTEMS.unregister(name)
    with pytest.raises(UnknownNameError, match="did you mean 'reference'"):
        resolve_system("refrence", cwd=tmp_path)


def test_registered_scorer_object_scores_a_run(tmp_path):
    from evalkit.scorers import SCORERS
    from evalkit.scorers.simple import LengthRatioScorer

    class HalfLength(LengthRatioScorer):
        name = "half_length"

    evalkit.register_scorer("half_length", HalfLength)
    try:
        result = evalkit.evaluate(
            "reference", metrics="half_length", results=str(tmp_path), reports=False, **SMALL
        )
        assert {s.metric for s in result.record.scores} == {"half_length"}
        assert all(s.score == pytest.approx(1.0) for s in result.record.scores)
    finally:
        SCORERS.unregister("half_length")
    with pytest.raises(ConfigError, match="Scorer subclass"):
        evalkit.register_scorer("bad", object())


def test_registry_rejects_bad_names_and_specs():
    with pytest.raises(ConfigError):
        SYSTEMS.register("", "a:b")
    with pytest.raises(ConfigError, match="module:attribute"):
        SYSTEMS.register("x", "not-a-spec")


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"system": 42}, "system must be a name"),
        ({"system": "refrence"}, "did you mean 'reference'"),
        ({"system": "reference", "seed": -1}, "seed must be an integer >= 0"),
        ({"system": "reference", "resamples": "many"}, "resamples must be an integer"),
        ({"system": "reference", "pairs": [1]}, "pairs must be a string or a list"),
        ({"system": lambda t: t, "options": {"batchsize": 3}}, "did you mean 'batch_size'"),
    ],
)
def test_bad_arguments_are_evalkit_errors(tmp_path, kwargs, fragment):
    with pytest.raises(evalkit.EvalkitError, match=fragment):
        evalkit.evaluate(**kwargs, results=str(tmp_path), reports=False)


def test_failing_function_is_a_system_failure(tmp_path, capsys):
    def broken(texts):
        raise RuntimeError("model not loaded")

    with pytest.raises(SystemFailure, match=r"'broken': 8 of 10 example\(s\) failed in 1 batch"):
        evalkit.evaluate(broken, results=str(tmp_path), reports=False, **SMALL)
    assert "raised RuntimeError: model not loaded" in capsys.readouterr().err


def test_old_names_keep_working():
    assert SystemError_ is SystemFailure

    class Old(System):  # written against evalkit 0.1: translate_batch
        options = System.options

        def translate_batch(self, requests):
            return ["old"] * len(requests)

    class Incomplete(System):
        pass

    req = evalkit.Request("a/title/en-ko", "translation", "x", "en", "ko")
    assert Old("o").answer_batch([req]) == Old("o").translate_batch([req]) == ["old"]
    assert Upper().translate_batch([req]) == ["X"]
    with pytest.raises(TypeError, match="answer_batch"):
        Incomplete("i")


def test_top_level_names_are_lazy_and_cheap():
    code = (
        "import sys, evalkit\n"
        "assert 'evalkit.run' not in sys.modules\n"
        "evalkit.evaluate, evalkit.System, evalkit.register_system, evalkit.SystemFailure\n"
        "heavy = {'numpy', 'datasets', 'torch', 'transformers', 'sacrebleu', 'MeCab'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
        "print(set(dir(evalkit)) >= set(evalkit.__all__))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.split("\n")
    assert out[0] == "[]" and out[1] == "True"
    with pytest.raises(AttributeError, match="no attribute 'evalute'"):
        evalkit.evalute  # noqa: B018

"""The runner: batching, the output cache, resume, failures."""

import json

import pytest

from evalkit.io import read_jsonl
from evalkit.runner import OutputCache, run_system, slug, system_key
from evalkit.systems.base import Request
from evalkit.systems.python_callable import PythonSystem

REQS = [Request(f"p{i}/title/en-ko", "translation", f"text {i % 7}", "en", "ko") for i in range(20)]


class Counting:
    def __init__(self, fail_on=()):
        self.batches = []
        self.fail_on = set(fail_on)

    def __call__(self, requests):
        self.batches.append([r.id for r in requests])
        if len(self.batches) in self.fail_on:
            raise RuntimeError(f"flaky batch {len(self.batches)}")
        return [r.text.upper() for r in requests]


def system(fn, **config):
    return PythonSystem("py", {"batch_size": 4, "version": "1", **config}, function=fn)


def test_batches_and_outputs_file(tmp_path):
    fn = Counting()
    result = run_system(system(fn), REQS, outputs_path=tmp_path / "outputs.jsonl")
    assert [len(b) for b in fn.batches] == [4] * 5
    assert result.outputs == {r.id: r.text.upper() for r in REQS}
    lines = [rec for _, rec in read_jsonl(tmp_path / "outputs.jsonl")]
    assert [rec["id"] for rec in lines] == [r.id for r in REQS]
    assert result.calls == 5 and not result.failures


def test_cached_rerun_calls_nothing(tmp_path):
    fn = Counting()
    cache_path = tmp_path / "cache" / f"{system_key(system(fn))}.jsonl"
    run_system(system(fn), REQS, outputs_path=tmp_path / "a.jsonl", cache=OutputCache(cache_path))
    assert len(fn.batches) == 5
    again = Counting()
    result = run_system(
        system(again), REQS, outputs_path=tmp_path / "b.jsonl", cache=OutputCache(cache_path)
    )
    assert again.batches == [] and result.calls == 0 and result.from_cache == 20
    assert result.outputs == {r.id: r.text.upper() for r in REQS}
    # the cache is keyed by content: 7 distinct texts
    assert len(OutputCache(cache_path)) == 7


def test_cache_with_a_torn_tail_is_repaired_on_open(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"key": "k1", "output": "a"}\n{"key": "k2", "outp', encoding="utf-8")
    assert len(OutputCache(path)) == 1
    assert path.read_text(encoding="utf-8") == '{"key": "k1", "output": "a"}\n'


def test_cache_key_follows_spec_and_version():
    a = system(Counting())
    assert system_key(a) == system_key(system(Counting()))
    assert system_key(a) != system_key(system(Counting(), version="2"))
    # options that cannot change an output (batch size, timeout) keep the cache
    assert system_key(a) == system_key(system(Counting(), batch_size=5, timeout=3))


def test_resume_reads_back_outputs_and_a_torn_tail(tmp_path):
    out = tmp_path / "outputs.jsonl"
    out.write_text(
        "".join(json.dumps({"id": r.id, "output": "old"}) + "\n" for r in REQS[:6])
        + '{"id": "p6/ti',
        encoding="utf-8",
    )
    fn = Counting()
    result = run_system(system(fn), REQS, outputs_path=out)
    assert result.from_run == 6 and sum(len(b) for b in fn.batches) == 14
    assert [result.outputs[r.id] for r in REQS[:6]] == ["old"] * 6
    ids = [rec["id"] for _, rec in read_jsonl(out)]
    assert sorted(ids) == sorted(r.id for r in REQS)


def test_failure_stops_at_max_failures_keeping_outputs(tmp_path):
    fn = Counting(fail_on={2})
    seen = []
    result = run_system(system(fn), REQS, outputs_path=tmp_path / "o.jsonl", on_failure=seen.append)
    assert result.aborted and len(result.failures) == 1 and seen == result.failures
    assert result.failures[0].ids == [r.id for r in REQS[4:8]]
    assert "'py'" in result.failures[0].error and "p4/title/en-ko" in result.failures[0].error
    assert "flaky batch 2" in result.failures[0].error
    assert len(list(read_jsonl(tmp_path / "o.jsonl"))) == 4


def test_max_failures_lets_the_run_go_on(tmp_path):
    fn = Counting(fail_on={1, 3})
    result = run_system(
        system(fn),
        REQS,
        outputs_path=tmp_path / "o.jsonl",
        max_failures=2,
        on_failure=lambda f: None,
    )
    assert not result.aborted and len(result.failures) == 2 and len(result.outputs) == 12


def test_retries(tmp_path):
    fn = Counting(fail_on={2})
    result = run_system(system(fn), REQS, outputs_path=tmp_path / "o.jsonl", retries=1)
    assert not result.failures and len(result.outputs) == 20 and result.calls == 6


def test_exceptions_of_plugin_systems_fail_their_batch(tmp_path):
    from evalkit.systems.base import System

    class Broken(System):
        kind = "broken"

        def translate_batch(self, requests):
            return [1] * len(requests)

    result = run_system(
        Broken("broken"), REQS[:2], outputs_path=tmp_path / "o.jsonl", on_failure=lambda f: None
    )
    assert result.aborted and "int, not text" in result.failures[0].error


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../x", "x"),
        ("/etc/passwd", "etc-passwd"),
        ("pkg.mod:fn", "pkg.mod-fn"),
        ("a\0b", "a-b"),
        ("..", "system"),
        ("my translator", "my-translator"),
    ],
)
def test_slug_is_one_safe_path_component(name, expected):
    assert slug(name) == expected

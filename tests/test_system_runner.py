"""The runner: batching, the output cache, resume, failures."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.io import read_jsonl
from evalkit.system_runner import OutputCache, run_system, slug, system_key
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
    assert list(result.failures[0].ids) == [r.id for r in REQS[4:8]]
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


# -- outputs are kept per example ---------------------------------------------------


class PartlyAnswering:
    """Answers the requests whose number is in ``answer``, raising PartialAnswers for the rest
    (``how="raise"``), or returns non-text for them (``how="none"``)."""

    def __init__(self, answer, how="raise"):
        self.answer, self.how, self.asked = set(answer), how, []

    def __call__(self, requests):
        from evalkit.systems.partial import PartialAnswers

        self.asked.append([r.id for r in requests])
        nums = {r.id: int(r.id.split("/")[0][1:]) for r in requests}
        if self.how == "none":
            return [r.text.upper() if nums[r.id] in self.answer else None for r in requests]
        got = {r.id: r.text.upper() for r in requests if nums[r.id] in self.answer}
        if len(got) < len(requests):
            raise PartialAnswers(got, "the backend went away")
        return [got[r.id] for r in requests]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answered=st.sets(st.integers(0, 19)),
    batch_size=st.integers(1, 25),
    how=st.sampled_from(["raise", "none"]),
    retries=st.integers(0, 2),
)
def test_answers_are_kept_per_example_and_every_count_agrees(
    tmp_path_factory, answered, batch_size, how, retries
):
    folder = tmp_path_factory.mktemp("partial")
    fn = PartlyAnswering(answered, how)
    result = run_system(
        system(fn, batch_size=batch_size),
        REQS,
        outputs_path=folder / "o.jsonl",
        cache=OutputCache(folder / "cache.jsonl"),
        max_failures=100,
        retries=retries,
        on_failure=lambda f: None,
    )
    expected = {r.id: r.text.upper() for i, r in enumerate(REQS) if i in answered}
    assert result.outputs == expected
    on_disk = {rec["id"]: rec["output"] for _, rec in read_jsonl(folder / "o.jsonl")}
    assert on_disk == expected
    failed = [i for f in result.failures for i in f.ids]
    assert sorted(failed) == sorted(r.id for i, r in enumerate(REQS) if i not in answered)
    for f in result.failures:  # each message counts exactly the examples of its record
        assert f"failed on {len(f.ids)} example(s)" in f.error and f.ids[0] in f.error
    # retries ask only for what is still unanswered
    assert all(
        set(later) <= set(first) - set(expected)
        for first, later in zip(fn.asked, fn.asked[1:], strict=False)
        if set(later) & set(first)
    )
    assert len(OutputCache(folder / "cache.jsonl")) == len({REQS[i].text for i in answered})


def test_a_garbled_cache_line_is_skipped_repaired_and_asked_again(tmp_path, capsys):
    cache_path = tmp_path / "cache.jsonl"
    run_system(
        system(Counting()),
        REQS[:7],
        outputs_path=tmp_path / "a.jsonl",
        cache=OutputCache(cache_path),
    )
    lines = cache_path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:15] + "\x00garbage"
    lines[4] = json.dumps({"key": ["not", "text"], "output": "x"})
    cache_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    again = Counting()
    result = run_system(
        system(again), REQS[:7], outputs_path=tmp_path / "b.jsonl", cache=OutputCache(cache_path)
    )
    err = capsys.readouterr().err
    assert f"{cache_path}:3: invalid JSON line" in err and "(and 1 more)" in err
    assert "asked again" in err and err.count("\n") == 1
    assert result.from_cache == 5 and sum(len(b) for b in again.batches) == 2
    assert result.outputs == {r.id: r.text.upper() for r in REQS[:7]}
    assert len(OutputCache(cache_path)) == 7 and "garbage" not in cache_path.read_text()
    assert capsys.readouterr().err == ""  # repaired: no warning the next time


def test_a_bad_line_in_the_runs_outputs_names_file_and_line(tmp_path):
    from evalkit.errors import DataError

    out = tmp_path / "outputs.jsonl"
    out.write_text('{"id": "p0/title/en-ko", "output": "x"}\n{"id": 5, "output": "y"}\n')
    with pytest.raises(DataError, match=r"outputs.jsonl:2: id: expected text, got 5"):
        run_system(system(Counting()), REQS, outputs_path=out)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    line=st.integers(0, 6),
    damage=st.sampled_from(
        ["cut", "nul", "not-json", "list", "key-number", "output-null", "no-output", "bytes"]
    ),
)
def test_any_damaged_cache_line_is_asked_again(tmp_path_factory, line, damage):
    folder = tmp_path_factory.mktemp("cache")
    cache_path = folder / "cache.jsonl"
    run_system(
        system(Counting()), REQS[:7], outputs_path=folder / "a.jsonl", cache=OutputCache(cache_path)
    )
    raw = cache_path.read_bytes().split(b"\n")
    entry = json.loads(raw[line])
    raw[line] = {
        "cut": raw[line][:20],
        "nul": raw[line][:10] + b"\x00" + raw[line][10:],
        "not-json": b"<<<>>>",
        "list": b"[1, 2]",
        "key-number": json.dumps({**entry, "key": 7}).encode(),
        "output-null": json.dumps({**entry, "output": None}).encode(),
        "no-output": json.dumps({"key": entry["key"]}).encode(),
        "bytes": b"\xff\xfe" + raw[line],
    }[damage]
    cache_path.write_bytes(b"\n".join(raw))
    again = Counting()
    result = run_system(
        system(again), REQS[:7], outputs_path=folder / "b.jsonl", cache=OutputCache(cache_path)
    )
    assert result.outputs == {r.id: r.text.upper() for r in REQS[:7]}
    assert result.from_cache == 6 and sum(len(b) for b in again.batches) == 1
    assert len(OutputCache(cache_path)) == 7  # repaired and complete again

"""The mutation fuzzer of ``benchmarks/fuzz_extract.py`` on a fixed sample, and properties.

The benchmark runs 10,000 inputs (figures in RELIABILITY.md); here a deterministic
sample of them, plus hypothesis properties the extractor must keep under line-end
mixing and injected invisible characters. ``tests/test_extract_fuzz.py`` holds the
hypothesis-driven line and byte mutations.
"""

from __future__ import annotations

from collections import Counter

import fuzz_extract as fz
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.digests import parse_lines
from evalkit.digests.align import align
from evalkit.digests.reader import decode
from evalkit.io import dumps

SAMPLE = 160


@pytest.fixture(scope="module")
def sample() -> list[fz.Outcome]:
    return [fz.run_one(seed=20240501, index=i) for i in range(SAMPLE)]


def test_every_input_gives_records_or_located_problems(sample):
    bad = [o.to_dict() for o in sample if o.outcome not in fz.OK_OUTCOMES]
    assert bad == []


def test_the_sample_exercises_every_mutation_and_outcome(sample):
    ops = Counter(op for o in sample for op in o.ops)
    assert set(ops) == set(fz.OPS) and min(ops.values()) >= 10
    outcomes = Counter(o.outcome for o in sample)
    assert outcomes["records"] and outcomes["records+problems"] and outcomes["problems"]
    assert {o.name for o in sample} == set(fz.NAMES)


def test_inputs_are_a_function_of_seed_and_index():
    assert fz.generate(3, 41) == fz.generate(3, 41)
    assert fz.generate(3, 41)[2] != fz.generate(3, 42)[2]


def test_the_oracle_notices_a_lost_heading():
    """A parser that silently dropped a paper would be caught."""
    name = "001_d1cdc3da727fa672.txt"
    data = fz.TEXTS[name].encode("utf-8")
    lines, _ = decode(data, "x.txt")
    fmt, result = parse_lines(lines, file="x.txt")
    papers = align(result.entries[1:])  # the first paper vanished without a problem
    accounted = {s["line"] for p in papers for s in p.sources}
    assert fz.lost_headings(name, fmt, lines, accounted) == [result.entries[0].line]
    assert fz.classify(name, data)[0] == "records"


def test_a_hang_is_recorded_not_waited_for(monkeypatch):
    """The driver gives up on an input after the time limit and goes on."""
    import time

    real = fz.run_one

    def slow(seed, index):
        if index == 1:
            time.sleep(60)
        return real(seed, index)

    monkeypatch.setattr(fz, "run_one", slow)
    outcomes, _ = fz.fuzz(0, 3, timeout=3, jobs=1)
    assert [o.outcome for o in outcomes][1] == "hang"
    assert [o.index for o in outcomes] == [0, 1, 2]
    assert outcomes[0].outcome in fz.OK_OUTCOMES and outcomes[2].outcome in fz.OK_OUTCOMES


def _records(data: bytes) -> list[dict]:
    lines, problems = decode(data, "d.txt")
    _, result = parse_lines(lines, file="d.txt")
    assert problems == [] and result.problems == []
    return [p.to_dict() for p in align(result.entries)]


ORIGINAL = {name: _records(fz.TEXTS[name].encode("utf-8")) for name in fz.NAMES}
PROPS = settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@PROPS
@given(name=st.sampled_from(fz.NAMES), ends=st.lists(st.sampled_from(["\n", "\r\n", "\r"])))
def test_mixed_line_ends_give_the_same_records(name, ends):
    lines = fz.TEXTS[name].split("\n")
    cycle = ends or ["\n"]
    text = "".join(
        line + (cycle[i % len(cycle)] if i < len(lines) - 1 else "") for i, line in enumerate(lines)
    )
    # a "\r" end before an empty line ending in "\n" reads as one CRLF: lines may shift
    assert _without_lines(_records(text.encode("utf-8"))) == _without_lines(ORIGINAL[name])


def _without_lines(records: list[dict]) -> list[dict]:
    return [
        {**r, "sources": [{k: v for k, v in s.items() if k != "line"} for s in r["sources"]]}
        for r in records
    ]


#: What the cleaner removes: controls (not line ends), zero-width marks, stray marks.
INVISIBLE = [c for c in fz.CONTROLS if c not in "\t\u00a0\u2028\u2029\u200c\u200d\u202e\ufffd"]


@PROPS
@given(
    name=st.sampled_from(fz.NAMES),
    where=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.sampled_from(INVISIBLE)),
        min_size=1,
        max_size=40,
    ),
)
def test_injected_invisible_characters_change_nothing(name, where):
    lines = fz.TEXTS[name].split("\n")
    for row, col, char in where:
        i = row % len(lines)
        j = col % (len(lines[i]) + 1)
        lines[i] = lines[i][:j] + char + lines[i][j:]
    assert _records("\n".join(lines).encode("utf-8")) == ORIGINAL[name]


@PROPS
@given(name=st.sampled_from(fz.NAMES), index=st.integers(0, 10**6))
def test_extraction_is_deterministic_on_mutated_input(name, index):
    _, _, data = fz.generate(7, index)
    outs = []
    for _ in range(2):
        lines, problems = decode(data, "d.txt")
        _, result = parse_lines(lines, file="d.txt")
        outs.append(
            (
                dumps([p.to_dict() for p in align(result.entries)]),
                [str(p) for p in problems + result.problems],
            )
        )
    assert outs[0] == outs[1]

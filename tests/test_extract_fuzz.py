"""Mutated digests: extraction never raises, never hangs, and loses no paper heading."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.digests import parse_lines, pytorchkr, pytorchkr_ja, pytorchkr_ko
from evalkit.digests import text as tx
from evalkit.digests.align import align
from evalkit.digests.reader import decode
from evalkit.extract import extract
from evalkit.io import dumps

DIGESTS = Path(__file__).resolve().parent.parent / "fixtures" / "digests"
NAMES = sorted(p.name for p in DIGESTS.glob("*.txt"))
ORIGINAL = {name: (DIGESTS / name).read_text(encoding="utf-8").split("\n") for name in NAMES}
LABELS = {**pytorchkr_ko.DIALECT.labels, **pytorchkr_ja.DIALECT.labels}


def _headings(name: str) -> set[str]:
    lines = ORIGINAL[name]
    papers = extract([DIGESTS / name]).papers
    return {tx.strip_markers(lines[s["line"] - 1]) for p in papers for s in p.sources}


HEADINGS = {name: _headings(name) for name in NAMES}
FORMATS = {name: extract([DIGESTS / name]).files[0].format for name in NAMES}

PIECES = [
    "논문 소개",
    "논문 초록(Abstract)",
    "논문 링크",
    "더 읽어보기",
    "원문",
    "論文紹介",
    "論文要旨",
    "原文",
    "さらに読む",
    "https://arxiv.org/abs/2308.16898",
    "#tag #other",
    "[2023/10/09 ~ 10/15]",
    "[2023/13/45 ~ 99/99]",
    "[9999/12/31 ~ 01/06]",
    "2023년 8월 5주차",
    "2024년 2월 5주차",
    "Title (A, B)",
    "한국어 / English",
    "English / 한국어",
    "Q-Transformer",
    "  • ",
    "> ",
    "- ",
    "",
    "\ufeff",
    "\r",
    "\x00",
    "(",
    ")",
    " / ",
    "논문 링크: https://arxiv.org/abs/2309.00267",
]
INDEX = st.integers(0, 10_000)
OPS = st.one_of(
    st.tuples(st.just("delete"), INDEX),
    st.tuples(st.just("dup"), INDEX),
    st.tuples(st.just("swap"), INDEX, INDEX),
    st.tuples(st.just("insert"), INDEX, st.sampled_from(PIECES) | st.text(max_size=30)),
    st.tuples(st.just("append"), INDEX, st.sampled_from(PIECES) | st.text(max_size=30)),
    st.tuples(st.just("truncate"), INDEX),
)


def mutate(lines: list[str], ops) -> list[str]:
    lines = list(lines)
    for op in ops:
        if not lines:
            break
        i = op[1] % len(lines)
        if op[0] == "delete":
            del lines[i]
        elif op[0] == "dup":
            lines.insert(i, lines[i])
        elif op[0] == "swap":
            j = op[2] % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op[0] == "insert":
            lines.insert(i, op[2])
        elif op[0] == "append":
            lines[i] += op[2]
        else:
            lines = lines[:i]
    return lines


def check(data: bytes, name: str) -> None:
    """Run the pipeline without its safety net and check what must always hold."""
    lines, problems = decode(data, name)
    fmt, result = parse_lines(lines, file=name)
    problems += result.problems
    papers = align(result.entries)
    for p in problems:
        assert "\n" not in str(p) and str(p).startswith(f"{name}:")
        assert 1 <= p.line <= max(1, len(lines))
        assert p.code != "internal_error"
    assert len({p.id for p in papers}) == len(papers)
    for paper in papers:
        dumps(paper.to_dict())
        # a note without a title line is a record flagged title_missing, with its link
        assert paper.title["en"] or (paper.links and paper.flags[0]["code"] == "title_missing")
    if fmt is None or fmt != FORMATS.get(name):
        return
    seen = {s["line"] for p in papers for s in p.sources} | {p.line for p in problems}
    clean = [tx.strip_markers(line) for line in lines]
    nonblank = [i for i, line in enumerate(clean) if line]
    for k, i in enumerate(nonblank):
        if clean[i] not in HEADINGS[name]:
            continue
        nxt = clean[nonblank[k + 1]] if k + 1 < len(nonblank) else ""
        label = pytorchkr.label_of(nxt, LABELS)
        must = fmt == "paper-notes" or " / " in clean[i] or (label and label[0] == "summary")
        if must:
            assert i + 1 in seen, f"heading at line {i + 1} vanished: {clean[i][:40]!r}"


FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(ops=st.lists(OPS, min_size=1, max_size=8))
def test_mutated_lines(name, ops):
    text = "\n".join(mutate(ORIGINAL[name], ops))
    check(text.encode("utf-8", errors="surrogatepass"), name)


@FUZZ
@given(
    name=st.sampled_from(NAMES), flips=st.lists(st.tuples(INDEX, st.integers(0, 255)), max_size=20)
)
def test_mutated_bytes(name, flips):
    data = bytearray((DIGESTS / name).read_bytes())
    for i, value in flips:
        data[i % len(data)] = value
    check(bytes(data), name)


@FUZZ
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes(data):
    check(data, "junk.txt")


@pytest.mark.parametrize(
    "line",
    [
        "(" * 200_000 + ")",
        "한 / " * 100_000 + "English",
        "a (" * 100_000,
        "#a " * 100_000 + "끝.",
        "다. " + "word " * 100_000,
        "[" * 100_000,
    ],
    ids=["parens", "slashes", "open-groups", "hash-tags", "bare-words", "brackets"],
)
def test_pathological_lines_finish(tmp_path, line):
    path = tmp_path / "big.txt"
    path.write_text(
        "[2023/10/09 ~ 10/15] 이번 주\n" + line + "\n논문 소개\n" + line + "\n" + line + "\n",
        encoding="utf-8",
    )
    result = extract([path])
    assert all("\n" not in str(p) for p in result.problems)
    assert all(p.code != "internal_error" for p in result.problems)


def test_many_lines_finish(tmp_path):
    block = ORIGINAL["001_d1cdc3da727fa672.txt"][14:35]
    path = tmp_path / "long.txt"
    path.write_text("\n".join(ORIGINAL["001_d1cdc3da727fa672.txt"][:14] + block * 500), "utf-8")
    result = extract([path])
    assert len(result.papers) == 1  # the same paper 500 times in one week: one record
    assert len(result.papers[0].sources) == 500
    assert result.papers[0].flags[0]["code"] == "duplicate_entry"

from pathlib import Path

import pytest

from evalkit.digests import parse_lines
from evalkit.digests.detect import detect
from evalkit.digests.reader import decode

DIGESTS = Path(__file__).resolve().parents[2] / "fixtures" / "digests"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("000_3c9e2df10df478ed.txt", "paper-notes"),
        ("001_d1cdc3da727fa672.txt", "pytorchkr-ko"),
        ("002_2d275b1d774cf9ef.txt", "pytorchkr-ko"),
        ("003_b91e32f9ad96d161.txt", "pytorchkr-ja"),
    ],
)
def test_each_sample_digest_is_detected(name, fmt):
    lines, _ = decode((DIGESTS / name).read_bytes(), name)
    assert detect(lines) == fmt
    # a fragment is enough: the first 40 lines
    assert detect(lines[:40]) == fmt


def test_unknown_and_empty_files():
    assert detect(["Hello", "just some text", "nothing to see"]) is None
    fmt, result = parse_lines(["Hello", "world"], file="x.txt")
    assert fmt is None and result.entries == []
    assert [str(p) for p in result.problems][0].startswith("x.txt:1: no known digest format")
    fmt, result = parse_lines(["", ""], file="e.txt")
    assert [str(p) for p in result.problems] == ["e.txt:1: empty file"]


def test_a_header_alone_is_detected_by_script():
    assert detect(["[2023/10/09 ~ 10/15] 이번 주의 주요 ML 논문"]) == "pytorchkr-ko"
    assert detect(["[2023/09/04 ~ 09/10] 今週の主要ML論文"]) == "pytorchkr-ja"

"""Derived variants of the sample digests give the same records.

Real digests of later weeks vary in line ends, byte-order marks, Unicode
normalization, blank lines and bullets; none of that may change a record.
"""

import codecs
import re
import unicodedata
from pathlib import Path

import pytest

from evalkit.extract import extract

DIGESTS = Path(__file__).resolve().parent.parent / "fixtures" / "digests"
NAMES = sorted(p.name for p in DIGESTS.glob("*.txt"))


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def no_blank_lines(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if line.strip())


def doubled_blank_lines(text: str) -> str:
    return text.replace("\n", "\n\n")


def no_bullets(text: str) -> str:
    return re.sub(r"(?m)^(?:[ \t]*[•>-] ?|[ \t]+)", "", text)


def lone_cr(text: str) -> str:
    return text.replace("\n", "\r")


VARIANTS = {
    "crlf": (crlf, "utf-8"),
    "bom": (lambda t: t, "utf-8-sig"),
    "nfd": (nfd, "utf-8"),
    "no-blank-lines": (no_blank_lines, "utf-8"),
    "doubled-blank-lines": (doubled_blank_lines, "utf-8"),
    "no-bullets": (no_bullets, "utf-8"),
    "cr": (lone_cr, "utf-8"),
    "utf-16": (crlf, "utf-16"),
    "all-at-once": (lambda t: crlf(nfd(no_bullets(no_blank_lines(t)))), "utf-8-sig"),
}
#: Variants that keep every line where it was (so sources keep their line numbers).
SAME_LINES = {"crlf", "bom", "nfd", "no-bullets", "cr", "utf-16"}


def records(papers, *, keep_lines: bool):
    out = []
    for p in papers:
        d = p.to_dict()
        if not keep_lines:
            d["sources"] = [{k: v for k, v in s.items() if k != "line"} for s in d["sources"]]
        out.append(d)
    return out


@pytest.fixture(scope="module")
def originals():
    return {name: extract([DIGESTS / name]).papers for name in NAMES}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("name", NAMES)
def test_variant_gives_the_same_records(tmp_path, originals, name, variant):
    transform, encoding = VARIANTS[variant]
    text = (DIGESTS / name).read_text(encoding="utf-8")
    derived = transform(text)
    if variant == "nfd" and name != "000_3c9e2df10df478ed.txt":
        assert derived != text  # the variant really decomposes something
    path = tmp_path / name
    path.write_bytes(derived.encode(encoding))
    if variant == "bom":
        assert path.read_bytes().startswith(codecs.BOM_UTF8)
    result = extract([path])
    assert result.problems == []
    keep = variant in SAME_LINES
    assert records(result.papers, keep_lines=keep) == records(originals[name], keep_lines=keep)


def test_no_bullets_variant_really_removes_markers():
    text = (DIGESTS / "001_d1cdc3da727fa672.txt").read_text(encoding="utf-8")
    assert "  • " in text and "•" not in no_bullets(text)
    ja = (DIGESTS / "003_b91e32f9ad96d161.txt").read_text(encoding="utf-8")
    assert not re.search(r"(?m)^[->] ", no_bullets(ja))

"""The weekly paper notes 000 (2023년 8월 1주차 = 2023-W31), and notes variations."""

from pathlib import Path

import pytest

from evalkit.digests import notes, parse_file

DIGESTS = Path(__file__).resolve().parents[2] / "fixtures" / "digests"


@pytest.fixture(scope="module")
def w31():
    fmt, result = parse_file(DIGESTS / "000_3c9e2df10df478ed.txt")
    assert fmt == "paper-notes" and result.problems == []
    return result.entries


def test_six_papers_with_arxiv_ids_titles_and_authors(w31):
    assert [e.arxiv_id for e in w31] == [
        "2308.00675",
        "2308.00951",
        "2308.01904",
        "2308.01544",
        "2308.01825",
        "2308.02151",
    ]
    assert [e.line for e in w31] == [3, 7, 11, 15, 17, 22]
    first = w31[0]
    assert first.title == {
        "en": "Tool Documentation Enables Zero-Shot Tool-Usage with Large Language Models",
        "ko": None,
        "ja": None,
    }
    assert first.authors == [
        "Cheng-Yu Hsieh",
        "Si-An Chen",
        "Chun-Liang Li",
        "Yasuhisa Fujii",
        "Alexander Ratner",
        "Chen-Yu Lee",
        "Ranjay Krishna",
        "Tomas Pfister",
    ]
    assert w31[2].title["en"] == "DETR Doesn't Need Multi-Scale or Locality Design"
    assert len(w31[5].authors) == 15 and w31[5].authors[-1] == "Silvio Savarese"
    for e in w31:
        assert e.week.label == "2023-W31"
        assert (e.week.start.isoformat(), e.week.end.isoformat()) == ("2023-07-31", "2023-08-06")
        assert e.summary == e.abstract == {"en": None, "ko": None, "ja": None}
        assert e.links == [f"https://arxiv.org/abs/{e.arxiv_id}"]


def test_korean_commentary_and_tags(w31):
    with_commentary = [e for e in w31 if e.commentary["ko"]]
    assert len(with_commentary) == 5
    assert w31[3].commentary == {"ko": None}  # Multimodal Neurons: no commentary
    assert w31[0].commentary["ko"].startswith("도구 사용법을 demonstration 대신 문서를 가져다")
    last = w31[5].commentary["ko"].split("\n")
    assert len(last) == 2
    assert last[0].startswith("reflexion과 같은 선상에서 llm이 action을 취하고")
    assert last[1].startswith("뭐 그런데 이런 프레임워크의 핵심은")
    assert [e.tags for e in w31] == [
        ["alignment", "tool"],
        ["moe"],
        ["detr", "multiscale"],
        [],
        ["llm"],
        [],
    ]
    assert all("#" not in (e.commentary["ko"] or "") for e in w31)


def test_notes_variations_are_parsed_or_reported():
    lines = [
        "2023년 10월 2주차",
        "https://arxiv.org/pdf/2310.01234v2.pdf",
        "A Paper With (Parentheses) In Its Title (Ann Lee, Bo Kim)",
        "좋은 논문이네요. #llm #agents",
        "A Note Without Link (Cy Park)",
        "링크 없이 적은 메모입니다.",
        "https://arxiv.org/abs/2310.05678",
        "링크 뒤에 제목이 없네요.",
        "https://openreview.net/forum?id=abc",
        "Untitled Authors Missing",
    ]
    result = notes.parse(lines, file="notes.txt")
    a, b, untitled, c = result.entries
    assert (a.title["en"], a.authors, a.arxiv_id) == (
        "A Paper With (Parentheses) In Its Title",
        ["Ann Lee", "Bo Kim"],
        "2310.01234",
    )
    assert a.commentary == {"ko": "좋은 논문이네요."} and a.tags == ["llm", "agents"]
    assert {"code": "tags_stripped", "field": "commentary", "detail": "ko: llm agents"} in a.flags
    assert a.week.label == "2023-W41"
    assert (b.title["en"], b.links, b.commentary["ko"]) == (
        "A Note Without Link",
        [],
        "링크 없이 적은 메모입니다.",
    )
    assert [f["code"] for f in b.flags] == ["link_missing"]
    assert (c.title["en"], c.arxiv_id, c.links) == (
        "Untitled Authors Missing",
        None,
        ["https://openreview.net/forum?id=abc"],
    )
    assert [f["code"] for f in c.flags] == ["authors_missing"]
    # a link followed by commentary: its own record, flagged, never merged into the note before
    assert (untitled.title["en"], untitled.arxiv_id, untitled.line) == (None, "2310.05678", 7)
    assert untitled.commentary == {"ko": "링크 뒤에 제목이 없네요."}
    assert [f["code"] for f in untitled.flags] == ["title_missing"]
    assert b.commentary["ko"] == "링크 없이 적은 메모입니다."
    assert result.problems == []

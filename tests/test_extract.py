"""End to end: the sample digests give exactly the dataset the specification lists."""

from pathlib import Path

import pytest

from evalkit.dataset import Paper, save
from evalkit.extract import aligned_pairs, extract

DIGESTS = Path(__file__).resolve().parent.parent / "fixtures" / "digests"


@pytest.fixture(scope="module")
def result():
    return extract([DIGESTS])


def by_week(papers, week):
    return [p for p in papers if p.week == week]


def test_every_sample_file_is_read_without_problems(result):
    assert result.problems == []
    assert [(Path(f.path).name, f.format, f.papers, f.problems, f.weeks) for f in result.files] == [
        ("000_3c9e2df10df478ed.txt", "paper-notes", 6, 0, ("2023-W31",)),
        ("001_d1cdc3da727fa672.txt", "pytorchkr-ko", 10, 0, ("2023-W41",)),
        ("002_2d275b1d774cf9ef.txt", "pytorchkr-ko", 10, 0, ("2024-W42",)),
        ("003_b91e32f9ad96d161.txt", "pytorchkr-ja", 10, 0, ("2023-W36",)),
    ]


def test_2023_w41_ten_papers_with_en_ko_title_summary_abstract(result):
    papers = by_week(result.papers, "2023-W41")
    assert len(papers) == 10
    for p in papers:
        assert (p.week_start, p.week_end) == ("2023-10-09", "2023-10-15")
        for name in ("title", "summary", "abstract"):
            assert p.text(name, "en") and p.text(name, "ko") and not p.text(name, "ja")
        assert p.commentary is None
        assert p.sources == [
            {
                "file": "001_d1cdc3da727fa672.txt",
                "format": "pytorchkr-ko",
                "line": p.sources[0]["line"],
                "langs": ["en", "ko"],
            }
        ]
    ids = [p.id for p in papers]
    assert "2023-W41-ring-attention-with-blockwise-transformers-for-near-infinite-context" in ids


def test_2024_w42_ten_papers(result):
    papers = {p.title["en"]: p for p in by_week(result.papers, "2024-W42")}
    assert len(papers) == 10
    assert papers["On the Planning Abilities of OpenAI’s o1 Models"].abstract == {
        "en": None,
        "ko": None,
        "ja": None,
    }
    fairness = papers["First-Person Fairness in Chatbots"]
    assert fairness.abstract["en"].count("\n") == 2 and fairness.abstract["ko"].count("\n") == 2
    assert fairness.id == "2024-W42-first-person-fairness-in-chatbots"


def test_2023_w36_ten_papers_en_ja(result):
    papers = by_week(result.papers, "2023-W36")
    assert len(papers) == 10
    assert all(p.text("title", "en") and p.text("title", "ja") for p in papers)
    assert all(p.text("summary", "en") and p.text("summary", "ja") for p in papers)
    assert sum(1 for p in papers if p.text("abstract", "en") and p.text("abstract", "ja")) == 9
    assert sum(1 for p in papers if p.arxiv_id) == 9
    q = next(p for p in papers if p.id == "2023-W36-q-transformer")
    assert q.title == {"en": "Q-Transformer", "ko": None, "ja": "Q-Transformer"}
    assert q.abstract == {"en": None, "ko": None, "ja": None}


def test_2023_w31_six_notes(result):
    papers = by_week(result.papers, "2023-W31")
    assert len(papers) == 6
    assert all(p.arxiv_id and p.title["en"] and p.authors for p in papers)
    assert all(p.title["ko"] is None and p.summary["en"] is None for p in papers)
    assert sum(1 for p in papers if p.commentary and p.commentary["ko"]) == 5
    assert all(p.commentary is not None and set(p.commentary) == {"ko"} for p in papers)
    retro = next(p for p in papers if p.arxiv_id == "2308.02151")
    assert retro.commentary["ko"].count("\n") == 1
    assert next(p for p in papers if p.arxiv_id == "2308.00675").tags == ["alignment", "tool"]
    assert (papers[0].week_start, papers[0].week_end) == ("2023-07-31", "2023-08-06")


def test_translation_pairs(result):
    assert result.pairs() == {
        "en-ko": {"title": 20, "summary": 20, "abstract": 19},
        "en-ja": {"title": 10, "summary": 10, "abstract": 9},
    }
    assert aligned_pairs(result.papers) == result.pairs()


def test_records_have_exactly_the_design_fields(result):
    keys = {
        "id",
        "week",
        "week_start",
        "week_end",
        "arxiv_id",
        "title",
        "summary",
        "abstract",
        "commentary",
        "authors",
        "tags",
        "links",
        "sources",
        "flags",
    }
    for p in result.papers:
        d = p.to_dict()
        assert set(d) == keys
        for name in ("title", "summary", "abstract"):
            assert set(d[name]) == {"en", "ko", "ja"}
        for f in d["flags"]:
            assert set(f) == {"code", "field", "detail"}
        for s in d["sources"]:
            assert {"file", "format", "line"} <= set(s) and isinstance(s["line"], int)
        assert all(not t.startswith("#") for t in d["tags"])
    assert len({p.id for p in result.papers}) == 36
    assert [p.id for p in result.papers] == sorted(
        (p.id for p in result.papers), key=lambda i: (i[:8], i)
    )


def test_same_input_gives_byte_identical_output(tmp_path, result):
    first = save(result.papers, tmp_path / "a")
    second = save(extract([DIGESTS]).papers, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    assert [Paper.from_dict(p.to_dict()) for p in result.papers] == result.papers


RING_JA = "ブロック単位のTransformerによるリングアテンション"
JA_W41_AND_W31 = f"""\
[2023/10/09 ~ 10/15] 今週の主要ML論文
{RING_JA} / Ring attention with blockwise transformers for near-infinite context
論文紹介
- 自己注意をブロック単位で計算し、長い系列を複数のデバイスに分散します。
> A different English summary of ring attention.
論文リンク
[2023/07/31 ~ 08/06] 今週の主要ML論文
DETRにマルチスケールは不要 / DETR does not need multi-scale or locality design
論文紹介
- マルチスケール設計なしのDETRです。
> Plain DETR without multi-scale feature maps.
論文リンク
https://arxiv.org/abs/2308.01904
"""


def test_entries_of_the_same_paper_merge_across_digests(tmp_path):
    ja = tmp_path / "ja.txt"
    ja.write_text(JA_W41_AND_W31, encoding="utf-8")
    result = extract(
        [DIGESTS / "000_3c9e2df10df478ed.txt", DIGESTS / "001_d1cdc3da727fa672.txt", ja]
    )
    assert result.problems == []
    assert len(result.papers) == 16
    papers = {p.id: p for p in result.papers}

    ring = papers["2023-W41-ring-attention-with-blockwise-transformers-for-near-infinite-context"]
    assert (
        ring.title["en"] == "Ring Attention with Blockwise Transformers for Near-Infinite Context"
    )
    assert (
        ring.title["ko"] and ring.title["ja"] == "ブロック単位のTransformerによるリングアテンション"
    )
    assert ring.summary["en"].startswith("A memory-efficient approach")  # the first source's
    assert ring.summary["ko"] and ring.summary["ja"].startswith("自己注意をブロック単位で計算し")
    assert ring.abstract["ja"] is None and ring.abstract["ko"]
    assert [s["file"] for s in ring.sources] == ["001_d1cdc3da727fa672.txt", "ja.txt"]
    codes = {(f["code"], f["field"]) for f in ring.flags}
    assert codes == {("english_differs", "title"), ("english_differs", "summary")}
    assert all("ja.txt:2" in f["detail"] for f in ring.flags)

    detr = papers["2023-W31-detr-doesnt-need-multi-scale-or-locality-design"]  # same arXiv id
    assert detr.title == {
        "en": "DETR Doesn't Need Multi-Scale or Locality Design",
        "ko": None,
        "ja": "DETRにマルチスケールは不要",
    }
    assert detr.summary["en"] == "Plain DETR without multi-scale feature maps."
    assert detr.commentary["ko"].startswith("오랜만에 detr이라는 이름을 보니")
    assert [s["format"] for s in detr.sources] == ["paper-notes", "pytorchkr-ja"]
    assert ("english_differs", "title") in {(f["code"], f["field"]) for f in detr.flags}
    pairs = result.pairs()
    assert pairs["en-ja"] == {"title": 2, "summary": 2, "abstract": 0}
    assert pairs["en-ko"] == {"title": 10, "summary": 10, "abstract": 10}


def test_same_title_different_arxiv_ids_stay_apart(tmp_path):
    text = """\
[2023/10/09 ~ 10/15] 今週の主要ML論文
要約A / Scaling Laws
論文紹介
- 日本語A。
> English A.
論文リンク
https://arxiv.org/abs/2310.00001
要約B / Scaling Laws
論文紹介
- 日本語B。
> English B.
論文リンク
https://arxiv.org/abs/2310.00002
"""
    path = tmp_path / "two.txt"
    path.write_text(text, encoding="utf-8")
    result = extract([path])
    assert [(p.id, p.arxiv_id) for p in result.papers] == [
        ("2023-W41-scaling-laws", "2310.00001"),
        ("2023-W41-scaling-laws-2", "2310.00002"),
    ]

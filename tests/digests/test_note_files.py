"""Paper notes as written: the real sample, the bundled digests unchanged, the counting rule."""

import json
import time
from pathlib import Path

import pytest

from evalkit.digests import text as tx
from evalkit.extract import extract

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "notes"
SAMPLE = Path("/work/shared/notes-sample")


def _summary(paper):
    c = paper.commentary or {}
    ko, en = c.get("ko") or "", c.get("en") or ""
    return {
        "files": [f"{s['file']}:{s['line']}" for s in paper.sources],
        "week": paper.week,
        "arxiv_id": paper.arxiv_id,
        "title": paper.title["en"],
        "authors": [
            len(paper.authors),
            paper.authors[0] if paper.authors else None,
            paper.authors[-1] if paper.authors else None,
        ],
        "tags": paper.tags,
        "flags": sorted({f["code"] for f in paper.flags}),
        "ko": ko[:12],
        "ko_paragraphs": len(ko.split("\n")) if ko else 0,
        "en": en[:24],
        "en_paragraphs": len(en.split("\n")) if en else 0,
        "abstract": (paper.abstract["en"] or "")[:24],
        "links": paper.links,
    }


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="the notes sample folder is not on this machine")
def test_the_69_sample_notes_give_the_expected_records():
    result = extract([SAMPLE])
    assert result.problems == []
    assert len(result.files) == 69 and {f.format for f in result.files} == {"paper-note"}
    # 69 files, 70 papers (one note discusses two), 67 records: "Yi 1.md" repeats "Yi.md",
    # and the two papers of "230518 구글 달리기.md" have their own notes that week.
    assert sum(f.papers for f in result.files) == 70
    expected = json.loads((DATA / "sample-expected.json").read_text(encoding="utf-8"))
    got = {p.id: _summary(p) for p in result.papers}
    assert sorted(got) == sorted(expected)
    for pid, want in expected.items():
        assert got[pid] == want, pid
    by_id = {p.id: p for p in result.papers}
    prime = by_id["2025-W06-process-reinforcement-through-implicit-rewards"]
    assert prime.commentary["en"].startswith("Report on project (PRIME)")
    assert "<english>" not in prime.commentary["en"] and "[[" not in prime.commentary["ko"]
    assert prime.links[-1] == "241202 Free Process Rewards without Process Labels.md"
    mu = by_id["2025-W06-nit-scaling-simple-and-scalable-fp8-llm-training"]
    assert mu.title["en"] == "$μ$nit Scaling: Simple and Scalable FP8 LLM Training"
    assert result.pairs()["ko-en"] == {"commentary": 23}


def test_bundled_digests_give_todays_records_byte_for_byte(tmp_path):
    from evalkit import dataset

    out = dataset.save(extract([dataset.bundled_digests()]).papers, tmp_path)
    assert out.read_bytes() == (DATA / "bundled-papers.jsonl").read_bytes()


@pytest.mark.parametrize(
    "line",
    ["> " * 200_000 + "x", "• " * 1_500_000, "> • " * 750_000 + "y"],
    ids=["quotes-200k", "bullets-3MB", "mixed-3MB"],
)
def test_strip_markers_is_linear(line):
    t0 = time.perf_counter()
    out = tx.strip_markers(line)
    assert time.perf_counter() - t0 < 6.0  # quadratic: minutes; linear: under a second idle
    assert out in ("x", "y", "•")


def test_a_heading_the_parser_drops_is_reported(tmp_path, monkeypatch):
    from evalkit.digests import note_parser

    path = tmp_path / "week.txt"
    path.write_text(
        "2023년 8월 1주차\nhttps://arxiv.org/abs/2308.00001\nA Title (Ann Lee)\n코멘트.\n"
        "https://arxiv.org/abs/2308.00002\nAnother Title (Bo Kim)\n",
        encoding="utf-8",
    )
    real = note_parser.NoteParser.close

    def drop_second(self):  # a parser bug: the second paper vanishes
        if self.draft is not None and self.draft.arxiv == "2308.00002":
            self.draft = None
            return
        real(self)

    monkeypatch.setattr(note_parser.NoteParser, "close", drop_second)
    result = extract([path])
    assert len(result.papers) == 1
    [lost] = result.problems
    assert (lost.line, lost.code) == (6, "lost_paper")
    assert "2 announced in this file, 1 records, 1 lost" in lost.message


def test_problems_are_bounded_per_file(tmp_path):
    path = tmp_path / "many.txt"
    block = "".join(f"Title Number {i} (Ann Lee{i})\n" for i in range(5000))
    path.write_text(block, encoding="utf-8")  # no week header: every paper is a problem
    result = extract([path])
    assert result.files[0].problems == 5000
    assert len(result.problems) == 101
    assert result.problems[-1].code == "more_problems"
    assert "4900 more problems" in result.problems[-1].message


def test_folders_mix_week_files_and_notes_recursively(tmp_path):
    (tmp_path / "arXiv" / "2023").mkdir(parents=True)
    (tmp_path / "arXiv" / "2023" / "230517 Some Note.md").write_text(
        "https://arxiv.org/abs/2305.00001\n\nSome Note (Ann Lee)\n\n메모.\n", encoding="utf-8"
    )
    (tmp_path / "arXiv" / "2023" / "Undated.md").write_text("text\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "week.txt").write_text(
        "2023년 8월 1주차\nhttps://arxiv.org/abs/2308.00001\nA Title (Ann Lee)\n", encoding="utf-8"
    )
    result = extract([tmp_path])
    assert [Path(f.path).name for f in result.files] == [
        "230517 Some Note.md",
        "Undated.md",
        "week.txt",
    ]
    assert [p.week for p in result.papers] == ["2023-W20", "2023-W31"]
    [problem] = result.problems
    assert problem.file.endswith("Undated.md") and problem.line == 1
    assert "YYMMDD" in problem.message


def test_a_post_with_thousands_of_bare_headings_keeps_a_bounded_problem_list(tmp_path):
    path = tmp_path / "headings.txt"
    heads = "".join(f"한국어 제목 {i} / English Title {i}\n" for i in range(3000))
    path.write_text("[2023/10/09 ~ 10/15] 이번 주\n" + heads, encoding="utf-8")
    result = extract([path])
    assert result.files[0].format == "pytorchkr-ko"
    assert result.files[0].problems == 3000
    assert len(result.problems) == 101 and "2900 more problems" in str(result.problems[-1])

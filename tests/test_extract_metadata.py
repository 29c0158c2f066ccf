"""--arxiv-metadata: English abstracts, titles and authors from the arXiv snapshot.

``tests/data/arxiv-metadata-snapshot.jsonl`` is a small file in the snapshot's exact
format (one JSON object per line with ``id``, ``submitter``, ``authors`` as one string,
hard-wrapped ``title`` and ``abstract``, ``versions``, ``authors_parsed``, ...); the
abstracts are abridged.
"""

import json
from pathlib import Path

import pytest

from evalkit.digests.arxiv_metadata import unwrap
from evalkit.extract import extract

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = ROOT / "fixtures" / "digests"
SNAPSHOT = ROOT / "tests" / "data" / "arxiv-metadata-snapshot.jsonl"


@pytest.fixture(scope="module")
def enriched():
    return extract([DIGESTS], arxiv_metadata=SNAPSHOT)


def paper(result, arxiv_id):
    return next(p for p in result.papers if p.arxiv_id == arxiv_id)


def test_fixture_is_in_the_snapshot_format():
    for line in SNAPSHOT.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert {"id", "title", "abstract", "authors", "versions", "authors_parsed"} <= set(record)
        assert isinstance(record["authors"], str) and record["abstract"].startswith("  ")


def test_notes_papers_get_their_english_abstract(enriched):
    assert enriched.problems == []
    tool = paper(enriched, "2308.00675")
    assert tool.abstract == {
        "en": "Today, large language models (LLMs) are taught to use new tools by providing a few"
        " demonstrations of the tool's usage. Unfortunately, demonstrations are hard to acquire,"
        " and can result in undesirable biased usage if the wrong demonstration is chosen. Our"
        " work provides an alternative to demonstrations: tool documentation.",
        "ko": None,
        "ja": None,
    }
    assert tool.commentary["ko"].startswith("도구 사용법을")  # the digest's content stays
    assert {
        "code": "from_metadata",
        "field": "abstract",
        "detail": "en abstract from arxiv-metadata-snapshot.jsonl:2",
    } in tool.flags
    assert tool.sources[-1] == {
        "file": "arxiv-metadata-snapshot.jsonl",
        "format": "arxiv-metadata",
        "line": 2,
        "fields": ["abstract"],
    }
    soft = paper(enriched, "2308.00951")
    assert soft.abstract["en"].split("\n") == [
        "Sparse mixture of expert architectures (MoEs) scale model capacity without large"
        " increases in training or inference costs.",
        "In this work, we propose Soft MoE, a fully-differentiable sparse Transformer that"
        " addresses these challenges, while maintaining the benefits of MoEs.",
    ]
    assert sum(1 for p in enriched.papers if p.week == "2023-W31" and p.abstract["en"]) == 3


def test_digest_text_is_never_overwritten_and_authors_are_filled(enriched):
    plain = extract([DIGESTS])
    svm, svm_before = paper(enriched, "2308.16898"), paper(plain, "2308.16898")
    assert svm.abstract == svm_before.abstract
    assert svm.title == svm_before.title
    assert svm.authors == [
        "Davoud Ataee Tarzanagh",
        "Yingcong Li",
        "Christos Thrampoulidis",
        "Samet Oymak",
    ]
    assert svm_before.authors == []
    assert svm.sources[-1]["fields"] == ["authors"]
    neurons = paper(enriched, "2308.01544")
    assert neurons.authors == ["Sarah Schwettmann", "Neil Chowdhury", "Antonio Torralba"]
    untouched = [
        p
        for p in enriched.papers
        if p.arxiv_id not in {"2308.00675", "2308.00951", "2308.16898", "2308.01544"}
    ]
    assert all(p in plain.papers for p in untouched)
    # translation pairs are unchanged: the notes have no Korean abstract
    assert enriched.pairs() == plain.pairs()


def test_disagreeing_title_is_flagged_and_bad_lines_reported(tmp_path):
    lines = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    record["title"] = "Soft Mixtures of Experts,\n  Revisited"
    snapshot = tmp_path / "snapshot.jsonl"
    snapshot.write_text(
        "\n".join([lines[0], '{"id":"2308.00675", "title": broken', json.dumps(record), "[1, 2]"]),
        encoding="utf-8",
    )
    result = extract([DIGESTS / "000_3c9e2df10df478ed.txt"], arxiv_metadata=snapshot)
    assert [str(p) for p in result.problems] == [
        f"{snapshot}:2: invalid JSON line: Expecting value: line 1 column 30 (char 29)",
        f'{snapshot}:4: no "id" in this arXiv metadata line',
    ]
    soft = paper(result, "2308.00951")
    assert soft.title["en"] == "From Sparse to Soft Mixtures of Experts"
    assert {
        "code": "metadata_differs",
        "field": "title",
        "detail": "en title at snapshot.jsonl:3 differs; kept the digest's",
    } in soft.flags
    assert paper(result, "2308.00675").abstract["en"] is None


def test_unwrap_keeps_indented_paragraphs():
    assert unwrap("  First line\nwrapped here.\n  Second paragraph\n") == (
        "First line wrapped here.\nSecond paragraph"
    )
    assert unwrap("") == ""


def test_cli_with_arxiv_metadata(tmp_path):
    from helpers import run_cli

    proc = run_cli("extract", "--arxiv-metadata", str(SNAPSHOT), "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(x) for x in (tmp_path / "papers.jsonl").read_text("utf-8").splitlines()]
    assert sum(1 for r in records if r["abstract"]["en"]) == 19 + 9 + 3
    proc = run_cli(
        "extract", "--arxiv-metadata", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path)
    )
    assert proc.returncode == 2
    assert "no such arXiv metadata file" in proc.stderr

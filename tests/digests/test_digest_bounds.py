"""A file announcing more papers than any digest holds is read up to a bound, and says so."""

from __future__ import annotations

from pathlib import Path

import evalkit.digests as digests
from evalkit.extract import extract

HEADER = "[2023/10/09 ~ 10/15] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)\n\n"


def paper(i: int) -> str:
    return (
        f"논문 {i}번 제목 / Paper Number {i} About Attention\n\n"
        "논문 소개\n\n"
        f"  • 어텐션을 다루는 논문 {i}입니다.\n\n"
        f"    Paper {i} is about attention.\n\n"
        "논문 링크\n\n"
        f"https://arxiv.org/abs/2310.{i:05d}\n\n\n"
    )


def test_papers_past_the_bound_are_not_read_and_are_reported(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(digests, "MAX_PAPERS_PER_FILE", 40)
    path = tmp_path / "huge.txt"
    path.write_text(HEADER + "".join(paper(i) for i in range(1, 101)), encoding="utf-8")
    result = extract([path])
    assert len(result.papers) == 40
    (cap,) = [p for p in result.problems if p.code == "too_many_papers"]
    assert "announces 100 papers" in cap.message and "the 60 from this line on" in cap.message
    assert cap.line == 3 + 40 * 13  # the heading of paper 41
    assert not [p for p in result.problems if p.code == "lost_paper"]


def test_a_file_within_the_bound_is_read_whole(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(digests, "MAX_PAPERS_PER_FILE", 100)
    path = tmp_path / "week.txt"
    path.write_text(HEADER + "".join(paper(i) for i in range(1, 101)), encoding="utf-8")
    result = extract([path])
    assert len(result.papers) == 100
    assert not [p for p in result.problems if p.code == "too_many_papers"]

"""Fixtures for the publishing tests: a small dataset made of Paper records, saved to disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit import dataset
from evalkit.dataset import Paper


def _texts(en=None, ko=None, ja=None):
    return {"en": en, "ko": ko, "ja": ja}


def small_papers() -> list[Paper]:
    """Papers shaped like the four sample digests: notes, Japanese and Korean weeks.

    W31: notes (English title, Korean commentary, no pair); W36: Japanese (one paper
    without abstract, one tag flag); W41: Korean; W42: Korean (one without abstract).
    """
    papers = []
    for i in range(2):
        papers.append(
            Paper(
                id=f"2023-W31-note-{i}",
                week="2023-W31",
                week_start="2023-07-31",
                week_end="2023-08-06",
                arxiv_id=f"2307.0000{i}",
                title=_texts(f"Note paper {i}"),
                summary=_texts(),
                abstract=_texts(),
                commentary={"ko": f"메모 {i}\n둘째 문단"} if i else None,
                authors=["A. Author", "B. Author"],
                tags=["llm"],
                links=[f"https://arxiv.org/abs/2307.0000{i}"],
                sources=[{"file": "000_notes.txt", "format": "paper-notes", "line": 3 + 4 * i}],
            )
        )
    for i in range(2):
        papers.append(
            Paper(
                id=f"2023-W36-ja-paper-{i}",
                week="2023-W36",
                week_start="2023-09-04",
                week_end="2023-09-10",
                arxiv_id=None if i else "2309.00001",
                title=_texts(f"JA paper {i}", None, f"論文 {i}"),
                summary=_texts(f"Summary {i}.", None, f"要約 {i}。"),
                abstract=_texts(f"Abstract {i}.", None, f"要旨 {i}。") if not i else _texts(),
                tags=["rlhf"] if i else [],
                sources=[{"file": "003_ja.txt", "format": "pytorchkr-ja", "line": 10 + i}],
                flags=[{"kind": "tags-stripped", "line": 12}] if i else [],
            )
        )
    for week, start, end in (
        ("2023-W41", "2023-10-09", "2023-10-15"),
        ("2024-W42", "2024-10-14", "2024-10-20"),
    ):
        for i in range(3):
            no_abstract = week == "2024-W42" and i == 2
            papers.append(
                Paper(
                    id=f"{week}-ko-paper-{i}",
                    week=week,
                    week_start=start,
                    week_end=end,
                    arxiv_id=f"24{i:02d}.1234{i}",
                    title=_texts(f"KO paper {i} of {week}", f"논문 {i}"),
                    summary=_texts(f"English summary {i}.", f"한국어 요약 {i}."),
                    abstract=_texts()
                    if no_abstract
                    else _texts(
                        f"First paragraph {i}.\nSecond paragraph.", f"첫 문단 {i}.\n둘째 문단."
                    ),
                    sources=[{"file": f"kr_{week}.txt", "format": "pytorchkr-ko", "line": 5 + i}],
                )
            )
    return papers


def commentary_papers() -> list[Paper]:
    """:func:`small_papers` plus three notes of 2024-W02: two with a human ko-en
    commentary pair (one with paragraphs on both sides), one with Korean only."""
    notes = []
    for i, commentary in enumerate(
        [
            {
                "ko": "라우팅을 단순화한 방법이네요.\n실험이 작습니다.",
                "en": "Simpler routing.\nSmall.",
            },
            {"ko": "좋은 데이터셋입니다.", "en": "A good dataset."},
            {"ko": "한국어만 있습니다.", "en": None},
        ]
    ):
        notes.append(
            Paper(
                id=f"2024-W02-moe-note-{i}",
                week="2024-W02",
                week_start="2024-01-08",
                week_end="2024-01-14",
                arxiv_id=f"2401.0000{i}",
                title=_texts(f"Tiny Experts {i}"),
                summary=_texts(),
                abstract=_texts(f"We study routing {i}."),
                commentary=commentary,
                tags=["moe"],
                sources=[
                    {"file": f"240108 Tiny Experts {i}.md", "format": "paper-notes", "line": 1}
                ],
            )
        )
    return small_papers() + notes


@pytest.fixture(scope="session")
def with_commentary() -> list[Paper]:
    return commentary_papers()


@pytest.fixture(scope="session")
def papers() -> list[Paper]:
    return small_papers()


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dataset")
    dataset.save(small_papers(), folder)
    return folder

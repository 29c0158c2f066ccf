"""Each way a note varies, in both layouts (one file per note, and a week file), LF and CRLF."""

import pytest

from evalkit.extract import extract

LONG_AUTHORS = ", ".join(f"Author Number{i} Surname{i}" for i in range(60))  # ~2,000 chars

#: name -> (note text, what its record must hold)
NOTES = {
    "emphasis": (
        "https://arxiv.org/abs/2501.00001\n\n*Tiny Experts: Routing Without Regret* (Ada Kim,"
        " Bo Lee)\n\n> We study routing.\n> Second paragraph.\n\n라우팅을 단순화했네요.\n"
        "실험이 작아 아쉽습니다.\n\n<english>\nA simpler way to route.\n\nThe experiments"
        " are small (see https://arxiv.org/abs/2401.00002).\n</english>\n\n#moe #routing\n\n"
        "# Links\n\n[[240101 Some Other Note.md]]\n",
        {
            "title": "Tiny Experts: Routing Without Regret",
            "authors": ["Ada Kim", "Bo Lee"],
            "arxiv_id": "2501.00001",
            "abstract": "We study routing.\nSecond paragraph.",
            "commentary": {
                "ko": "라우팅을 단순화했네요.\n실험이 작아 아쉽습니다.",
                "en": "A simpler way to route.\nThe experiments are small"
                " (see https://arxiv.org/abs/2401.00002).",
            },
            "tags": ["moe", "routing"],
            "links": ["https://arxiv.org/abs/2501.00001", "240101 Some Other Note.md"],
            "flags": [],
        },
    ),
    "wrapped": (
        "https://arxiv.org/abs/2501.00003\nA Very Long Title That Goes On and On About\n"
        "    Many Things at Once (Cy Park, Di Oh)\n메모.\n",
        {
            "title": "A Very Long Title That Goes On and On About Many Things at Once",
            "authors": ["Cy Park", "Di Oh"],
            "flags": [],
        },
    ),
    "two-titles": (
        "https://arxiv.org/abs/2501.00004\nOld Name of the Paper (Ed Yoo)\n"
        "New Name of the Paper (Ed Yoo)\n메모.\n",
        {"title": "Old Name of the Paper", "authors": ["Ed Yoo"], "flags": ["title_alternative"]},
    ),
    "long-authors": (
        f"https://arxiv.org/abs/2501.00005\n*Big Team Paper* ({LONG_AUTHORS})\n메모.\n",
        {"title": "Big Team Paper", "n_authors": 60, "flags": []},
    ),
    "github-link": (
        "https://github.com/org/repo\nA Repository Paper (Fay Lim)\n코드가 공개됐네요.\n",
        {"title": "A Repository Paper", "arxiv_id": None, "flags": []},
    ),
    "no-title": (
        "https://arxiv.org/abs/2501.00006\n제목 없이 바로 코멘트.\n#llm\n",
        {"title": None, "arxiv_id": "2501.00006", "flags": ["title_missing"], "tags": ["llm"]},
    ),
    "link-and-tags": (
        "https://blog.example.com/post\n#agents\n",
        {"title": None, "arxiv_id": None, "flags": ["title_missing"], "tags": ["agents"]},
    ),
    "redirect": (
        "[https://arxiv.org/abs/2305.10429](https://l.facebook.com/l.php?u=https%3A%2F%2F"
        "arxiv.org%2Fabs%2F2305.10429%3Ffbclid%3DIwAR3&h=AT0)\nDoReMi (Sang Xie)\n메모.\n",
        {"title": "DoReMi", "arxiv_id": "2305.10429"},
    ),
    "markdown-link": (
        "[paper](https://arxiv.org/pdf/2501.00007v2.pdf)\n*Linked* (Gu Na)\n메모.\n",
        {"title": "Linked", "arxiv_id": "2501.00007"},
    ),
    "sentences": (
        "https://arxiv.org/abs/2501.00008\n*Careful Parsing* (Ha Jo)\n괜찮네요.\n<english>\n"
        "It works well (Table 2)\nCompare with the earlier study (https://arxiv.org/abs/2301.00001)\n"
        "</english>\n이건 #1 결과입니다.\n#parsing\n",
        {
            "title": "Careful Parsing",
            "commentary": {
                "ko": "괜찮네요.\n이건 #1 결과입니다.",
                "en": "It works well (Table 2)\nCompare with the earlier study"
                " (https://arxiv.org/abs/2301.00001)",
            },
            "tags": ["parsing"],
        },
    ),
    "front-matter": (
        "---\ntags: [llm]\naliases: []\n---\narxiv.org/abs/2501.00009\nPlain Title (Ann Lee)\n"
        "메모.\n",
        {"title": "Plain Title", "arxiv_id": "2501.00009", "commentary": {"ko": "메모."}},
    ),
    "tex-title": (
        "https://arxiv.org/abs/2402.13718\n*$\\infty$Bench: Extending Long Context Beyond 100K"
        " Tokens* (Xinrong Zhang)\n∞Bench 메모. Schrödinger\n",
        {"title": "$\\infty$Bench: Extending Long Context Beyond 100K Tokens"},
    ),
}


#: Variations of the file layout only: a week file has no front matter of its own notes.
FILE_ONLY = {"front-matter"}


def _check(paper, want):
    for key, value in want.items():
        if key == "n_authors":
            assert len(paper.authors) == value
        elif key == "flags":
            assert [f["code"] for f in paper.flags] == value
        elif key in ("title", "abstract"):
            assert paper.text(key, "en") == value
        else:
            assert getattr(paper, key) == value, key


@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("name", sorted(NOTES))
def test_note_file(tmp_path, name, eol):
    text, want = NOTES[name]
    path = tmp_path / f"250203 {name}.md"
    path.write_bytes(text.replace("\n", eol).encode("utf-8"))
    result = extract([path])
    assert result.problems == []
    [paper] = result.papers
    assert paper.week == "2025-W06"
    _check(paper, want)


@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_the_same_notes_assembled_in_a_week_file(tmp_path, eol):
    names = sorted(set(NOTES) - FILE_ONLY)
    week = "2025년 2월 1주차\n" + "\n".join(NOTES[n][0] for n in names)
    path = tmp_path / "week.txt"
    path.write_bytes(week.replace("\n", eol).encode("utf-8"))
    result = extract([path])
    assert result.problems == []
    assert result.files[0].format == "paper-notes"
    assert len(result.papers) == len(names)  # never merged into the note before
    by_line = sorted((s["line"], p) for p in result.papers for s in p.sources)
    for name, (_, paper) in zip(names, by_line, strict=True):
        assert paper.week == "2025-W06"
        _check(paper, NOTES[name][1])


def test_a_note_about_several_papers_gives_one_record_each(tmp_path):
    path = tmp_path / "230518 several.md"
    path.write_text(
        "구글이 달리기 시작했네.\n\n[https://arxiv.org/abs/2305.10429](https://arxiv.org/abs/"
        "2305.10429?fbclid=x)\n\n첫 논문 이야기.\n\n[https://arxiv.org/abs/2305.10425]"
        "(https://arxiv.org/abs/2305.10425)\n\n둘째 논문 이야기.\n",
        encoding="utf-8",
    )
    result = extract([path])
    assert result.problems == []
    first, second = sorted(result.papers, key=lambda p: p.sources[0]["line"])
    assert (first.arxiv_id, second.arxiv_id) == ("2305.10429", "2305.10425")
    assert first.commentary == {"ko": "구글이 달리기 시작했네.\n첫 논문 이야기."}
    assert second.commentary == {"ko": "둘째 논문 이야기."}
    for paper in (first, second):
        assert [f["code"] for f in paper.flags] == ["title_missing", "multi_paper_note"]


@pytest.mark.parametrize(
    "name, message",
    [("notes.md", "YYMMDD"), ("231399 Bad Date.md", "not a date")],
)
def test_a_file_name_without_its_date_is_a_problem(tmp_path, name, message):
    path = tmp_path / name
    path.write_text("https://arxiv.org/abs/2501.00001\nT (A B)\n", encoding="utf-8")
    result = extract([path])
    assert result.papers == []
    [problem] = result.problems
    assert problem.line == 1 and message in problem.message


def test_a_note_with_neither_link_nor_title_is_a_problem(tmp_path):
    path = tmp_path / "250203 text only.md"
    path.write_text("그냥 메모만 있습니다.\n", encoding="utf-8")
    [problem] = extract([path]).problems
    assert (problem.line, problem.code) == (1, "stray_text")

"""Bad input: one clear line naming file and line, the rest of the file still extracted."""

from pathlib import Path

import pytest

from evalkit.extract import extract

DIGESTS = Path(__file__).resolve().parent.parent / "fixtures" / "digests"
KO_W41 = DIGESTS / "001_d1cdc3da727fa672.txt"
KO_W42 = DIGESTS / "002_2d275b1d774cf9ef.txt"
JA_W36 = DIGESTS / "003_b91e32f9ad96d161.txt"


def edited(tmp_path: Path, source: Path, edit) -> Path:
    """A copy of ``source`` whose lines (1-based list index + 1) went through ``edit``."""
    lines = source.read_text(encoding="utf-8").split("\n")
    path = tmp_path / source.name
    path.write_text("\n".join(edit(lines)), encoding="utf-8")
    return path


def delete(*numbers: int):
    return lambda lines: [x for i, x in enumerate(lines, 1) if i not in numbers]


def messages(result):
    lines = [str(p) for p in result.problems]
    assert all("\n" not in line for line in lines)
    return lines


def test_unknown_format_is_one_problem_and_other_files_still_extract(tmp_path):
    other = tmp_path / "shopping.txt"
    other.write_text("milk\neggs\nbread\n", encoding="utf-8")
    result = extract([other, KO_W41])
    assert len(result.papers) == 10
    (line,) = messages(result)
    assert line.startswith(f"{other}:1: no known digest format")
    assert [(f.format, f.papers, f.problems) for f in result.files] == [
        (None, 0, 1),
        ("pytorchkr-ko", 10, 0),
    ]


def test_missing_english_summary(tmp_path):
    path = edited(tmp_path, KO_W41, delete(21))  # the English summary of Ring Attention
    result = extract([path])
    assert messages(result) == [
        f"{path}:17: section '논문 소개' of paper '무한에 가까운 컨텍스트를 위한 블록형"
        " 트랜스포머로 링 어텐션 제공 / Ring Attention with …' has no English text"
    ]
    assert len(result.papers) == 10
    ring = next(p for p in result.papers if p.title["en"].startswith("Ring Attention"))
    assert ring.summary["en"] is None and ring.summary["ko"].startswith("자체 어텐션의")
    assert ring.abstract["en"] and ring.abstract["ko"]


def test_missing_korean_abstract(tmp_path):
    path = edited(tmp_path, KO_W41, delete(25))
    result = extract([path])
    (line,) = messages(result)
    assert line.startswith(f"{path}:23: section '논문 초록' of paper '무한에")
    assert line.endswith("has no Korean text")
    assert len(result.papers) == 10


def test_section_label_with_nothing_under_it(tmp_path):
    # o1 has no abstract; give it an empty abstract label after its English summary.
    path = edited(tmp_path, KO_W42, lambda ls: ls[:195] + ["논문 초록(Abstract)", ""] + ls[195:])
    result = extract([path])
    (line,) = messages(result)
    assert line == (
        f"{path}:196: section '논문 초록(Abstract)' of paper 'OpenAI의 o1 모델의 기획"
        " 능력에 대해 알아보기 / On the Planning Abilities o…' has nothing under it"
    )
    assert len(result.papers) == 10


def test_heading_without_english_half(tmp_path):
    path = edited(
        tmp_path, KO_W41, lambda ls: ls[:14] + ["무한에 가까운 컨텍스트를 위한 링 어텐션"] + ls[15:]
    )
    result = extract([path])
    (line,) = messages(result)
    assert line.startswith(
        f"{path}:15: heading '무한에 가까운 컨텍스트를 위한 링 어텐션' has no English title"
    )
    assert len(result.papers) == 9


def test_unreadable_encoding_names_file_and_line_and_the_rest_is_extracted(tmp_path):
    data = KO_W41.read_bytes().split(b"\n")
    line19 = data[18].decode("utf-8")
    cut = len(line19[:10].encode("utf-8"))
    kept = line19[:10].lstrip(" •")
    data[18] = data[18][:cut] + b"\xff\xfe" + data[18][cut:]
    path = tmp_path / KO_W41.name
    path.write_bytes(b"\n".join(data))
    result = extract([path])
    (line,) = messages(result)
    assert line == (
        f"{path}:19: not valid UTF-8 (byte 0xff at column {cut + 1});"
        " undecodable bytes replaced with U+FFFD"
    )
    assert len(result.papers) == 10
    assert result.pairs()["en-ko"] == {"title": 10, "summary": 10, "abstract": 10}
    ring = next(p for p in result.papers if p.title["en"].startswith("Ring Attention"))
    assert ring.summary["ko"].startswith(kept + "\ufffd\ufffd")


@pytest.mark.parametrize(
    ("source", "codec"), [(KO_W41, "cp949"), (JA_W36, "shift_jis"), (JA_W36, "euc-jp")]
)
def test_a_whole_file_in_a_legacy_encoding_is_read_with_one_problem(tmp_path, source, codec):
    path = tmp_path / source.name
    path.write_bytes(source.read_text(encoding="utf-8").encode(codec, errors="replace"))
    result = extract([path])
    (line,) = messages(result)
    assert line.startswith(f"{path}:1: not UTF-8: read as ")
    assert result.pairs() == extract([source]).pairs()


def test_no_week_header_reports_every_paper(tmp_path):
    path = edited(tmp_path, JA_W36, lambda ls: ["今週の主要ML論文"] + ls[1:])
    result = extract([path])
    assert result.papers == []
    lines = messages(result)
    assert len(lines) == 10
    assert lines[0] == (
        f"{path}:5: paper 'サポートベクターマシンとしてのTransformer / Transformers as"
        " Support Vector…' has no week: no valid '[YYYY/MM/DD ~ MM/DD]' header before it;"
        " paper skipped"
    )


def test_impossible_week_header(tmp_path):
    path = edited(tmp_path, JA_W36, lambda ls: ["[2023/09/31 ~ 10/06] 今週の主要ML論文"] + ls[1:])
    result = extract([path])
    assert messages(result)[0].startswith(f"{path}:1: impossible start date")
    assert len(result.problems) == 11 and result.papers == []


def test_section_label_without_heading_and_repeated_section(tmp_path):
    # Remove Ring Attention's heading: its labels now have no paper before them.
    path = edited(tmp_path, KO_W41, delete(15))
    result = extract([path])
    lines = messages(result)
    assert lines[0] == (
        f"{path}:16: section label '논문 소개' with no paper heading before it;"
        " skipped up to the next heading"
    )
    assert len(result.papers) == 9
    # Remove UniSim's heading: its summary label repeats the previous paper's.
    path = edited(tmp_path, KO_W41, delete(36))
    lines = messages(extract([path]))
    assert lines[0].startswith(f"{path}:37: second '논문 소개' section in paper '무한에")


def test_every_paper_heading_ends_up_as_a_record_or_a_problem(tmp_path):
    """Delete each label line of each post in turn; no heading may vanish."""
    for source in (KO_W41, KO_W42, JA_W36):
        original = extract([source])
        heading_lines = sorted(s["line"] for p in original.papers for s in p.sources)
        text_lines = source.read_text(encoding="utf-8").split("\n")
        labels = [
            i
            for i, x in enumerate(text_lines, 1)
            if x.strip()
            in (
                "논문 소개",
                "논문 초록",
                "논문 초록(Abstract)",
                "논문 링크",
                "더 읽어보기",
                "원문",
                "論文紹介",
                "論文要旨",
                "論文リンク",
                "さらに読む",
                "原文",
            )
        ]
        assert len(labels) > 20
        for k in labels:
            path = edited(tmp_path, source, delete(k))
            result = extract([path])
            seen = {s["line"] for p in result.papers for s in p.sources}
            seen |= {p.line for p in result.problems}
            for h in heading_lines:
                shifted = h - 1 if h > k else h
                assert shifted in seen, (source.name, k, h)


@pytest.mark.parametrize("strict", [False, True])
def test_strict_turns_problems_into_exit_1(tmp_path, strict):
    from helpers import run_cli

    bad = edited(tmp_path, KO_W41, delete(21))
    args = ["extract", str(bad), str(JA_W36), "--out", str(tmp_path / "out")]
    proc = run_cli(*args, *(["--strict"] if strict else []))
    assert proc.returncode == (1 if strict else 0)
    assert f"{bad}:17: section '논문 소개'" in proc.stderr
    assert proc.stderr.count(f"{bad}:") == 1
    assert f"{bad}: pytorchkr-ko, 10 papers (2023-W41), 1 problem" in proc.stdout
    assert "total: 20 papers from 20 entries in 2 files, 1 problem" in proc.stdout
    out = (tmp_path / "out" / "papers.jsonl").read_text(encoding="utf-8")
    assert len(out.splitlines()) == 20


def test_unusable_arguments_exit_2_with_one_line(tmp_path):
    from helpers import run_cli

    proc = run_cli("extract", str(tmp_path / "missing.txt"), "--out", str(tmp_path))
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        == f"evalkit extract: error: {tmp_path / 'missing.txt'}: no such file or folder"
    )
    proc = run_cli("extract", "--format", "pytorchkr", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "unknown digest format 'pytorchkr'" in proc.stderr and "did you mean" in proc.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_cli("extract", str(empty), "--out", str(tmp_path))
    assert proc.returncode == 2 and "no digest files (*.txt) in this folder" in proc.stderr
    assert not (tmp_path / "papers.jsonl").exists()

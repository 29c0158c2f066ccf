"""Output-vs-reference highlighting: character-level for CJK, word-level elsewhere, escaped."""

from __future__ import annotations

import pytest

from evalkit.report import diff


def test_cjk_is_tokenized_by_character_and_latin_by_word():
    assert diff.tokens("GPT-4 모델 성능") == ["GPT", "-", "4", " ", "모", "델", " ", "성", "능"]
    assert diff.tokens("大規模言語モデルの推論") == list("大規模言語モデルの推論")
    assert diff.tokens("large language  models.") == ["large", " ", "language", "  ", "models", "."]


@pytest.mark.parametrize(
    ("ref", "out", "missing", "extra"),
    [
        ("GPT-4 모델 성능 향상", "GPT-4 모델 성능 저하", ["향상"], ["저하"]),
        ("推論能力の向上", "推論能力の低下", ["向上"], ["低下"]),
        ("the model improves", "the model degrades", ["improves"], ["degrades"]),
        ("same text", "same text", [], []),
        ("", "only output", [], ["only output"]),
        ("only reference", "", ["only reference"], []),
    ],
)
def test_diff_marks_missing_and_extra_text(ref, out, missing, extra):
    ref_p, out_p = diff.diff(ref, out)
    assert "".join(p.text for p in ref_p) == ref
    assert "".join(p.text for p in out_p) == out
    assert [p.text for p in ref_p if p.kind == "missing"] == missing
    assert [p.text for p in out_p if p.kind == "extra"] == extra


def test_korean_particle_change_is_character_level():
    _, out_p = diff.diff("모델이 향상된다", "모델은 향상된다")
    assert [p.text for p in out_p if p.kind == "extra"] == ["은"]


def test_html_escapes_every_piece():
    _, out_p = diff.diff("안전한 텍스트", "안전한 <script>alert(1)</script>")
    html = diff.to_html(out_p)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.startswith("안전한 <ins")


def test_huge_texts_are_shown_without_highlighting():
    long = "가" * (diff.MAX_TOKENS + 1)
    ref_p, out_p = diff.diff(long, long + "나")
    assert [p.kind for p in ref_p] == ["equal"] and [p.kind for p in out_p] == ["equal"]


def test_spaces_between_changes_join_the_change():
    ref_p, out_p = diff.diff("the big red dog", "the small blue dog")
    assert [(p.kind, p.text) for p in ref_p] == [
        ("equal", "the "),
        ("missing", "big red"),
        ("equal", " dog"),
    ]
    assert [(p.kind, p.text) for p in out_p] == [
        ("equal", "the "),
        ("extra", "small blue"),
        ("equal", " dog"),
    ]

"""Judged spans in reports: escaped, located, counted."""

from __future__ import annotations

from evalkit.judges.spans import ErrorSpan
from evalkit.report.spans import error_counts, highlight_html, span_list_markdown


def test_spans_are_highlighted_and_everything_is_escaped() -> None:
    text = "<b>모델</b> & 결과"
    spans = [
        ErrorSpan("major", 'acc"><script>x</script>', start=3, end=5),
        ErrorSpan("minor", "style", start=4, end=6),  # overlaps: dropped
        ErrorSpan("critical", "x", start=90, end=99),  # outside: dropped
        ErrorSpan("minor", "style"),
    ]
    out = highlight_html(text, spans)
    assert "<script>" not in out and "<b>" not in out
    assert out.count("<mark") == 1 and 'class="err err-major"' in out
    assert ">모델</mark>" in out and "&amp; 결과" in out


def test_markdown_list_and_counts() -> None:
    spans = [
        ErrorSpan("major", "accuracy/omission", text="x|y"),
        ErrorSpan("minor", "fluency/grammar", text="z", start=0, end=1),
    ]
    line = span_list_markdown(spans, lambda s: s.replace("|", "\\|"))
    assert 'major accuracy/omission: "x\\|y" (not found in the output)' in line
    counts = error_counts([("2023-W41", spans), ("2023-W41", spans[:1]), ("2023-W42", [])])
    assert counts["2023-W41"][("major", "accuracy")] == 2
    assert counts["2023-W41"][("minor", "fluency")] == 1 and not counts["2023-W42"]

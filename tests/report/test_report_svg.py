"""The chart renderer's pieces on generated input: text XML can hold, label placement,
chart file names."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from evalkit.report.charts import Chart, Point, Series, file_stem
from evalkit.report.htmlkit import esc
from evalkit.report.svg import document, render
from evalkit.report.svg_text import legend_layout, text_width, week_labels, xml_text


@given(st.text())
def test_xml_text_escaped_is_always_well_formed(text):
    clean = xml_text(text)
    root = ET.fromstring(f'<t a="{esc(clean)}">{esc(clean)}</t>')
    assert (root.text or "") == clean.replace("\r\n", "\n").replace("\r", "\n")
    kept = [ch for ch in text if ch not in "\ufffd"]
    assert len(clean) == len(text) and all(ch in clean for ch in kept if ch.isprintable())


@given(st.integers(1, 400), st.floats(0.5, 700), st.floats(20, 120))
def test_week_labels_are_apart_and_start_with_the_first(n, slot, width):
    idx = week_labels(n, slot, width)
    assert idx[0] == 0 and idx == sorted(set(idx)) and idx[-1] <= n - 1
    assert all((b - a) * slot >= width for a, b in zip(idx, idx[1:], strict=False))
    if slot * (n - 1) >= 2 * width:  # room for two labels: the last week is labelled
        assert idx[-1] == n - 1


@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=12))
def test_legend_items_fit_their_row_and_do_not_overlap(labels):
    layout = legend_layout(labels, 648)
    for (x, _row), label in zip(layout, labels, strict=True):
        assert x == 0 or x + 18 + text_width(label) + 16 <= 648
    for (x1, r1), (x2, r2), label in zip(layout, layout[1:], labels, strict=False):
        assert r2 > r1 or x2 >= x1 + 18 + text_width(label)


@given(st.text(min_size=1, max_size=300), st.text(min_size=1, max_size=30))
def test_chart_file_names_are_one_safe_component(metric, pair):
    stem = file_stem(metric, pair)
    assert stem and "/" not in stem and "\x00" not in stem and not stem.startswith(".")
    assert len(stem) <= 96 + 11
    assert set(stem) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-")


def test_chart_file_names_do_not_collide():
    names = {file_stem(m, "en-ko") for m in ("a/b", "a_b", "a b", "a\\b", "a?b", "a" * 200)}
    names |= {file_stem("a" * 200 + "x", "en-ko")}
    assert len(names) == 7


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=20), st.floats(-1e6, 1e6), st.floats(0, 1e3)),
        min_size=1,
        max_size=30,
    ),
    st.text(max_size=60),
)
def test_any_chart_is_a_well_formed_svg_document(rows, label):
    weeks = tuple(dict.fromkeys(f"w{i}-{w}" for i, (w, _, _) in enumerate(rows)))
    points = tuple(Point(w, v, v - e, v + e, 3) for w, (_, v, e) in zip(weeks, rows, strict=True))
    chart = Chart(label, label, label, "higher", "↑", None, 2, weeks, (Series(label, points, 0.0),))
    root = ET.fromstring(document(chart).encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}circle")) == len(weeks)
    assert "xmlns" not in render(chart)  # inline in HTML: no namespace URL in the page

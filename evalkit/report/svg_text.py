"""Text in SVG charts: what XML can hold, approximate widths, and where labels go.

Widths are estimated (no font metrics are at hand when the file is written); the
estimates are generous so labels stay apart in the fonts browsers fall back to.
"""

from __future__ import annotations

import math
import re
import unicodedata

# Characters XML 1.0 cannot hold, even as references (C0 controls, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """``value`` as text XML can hold: forbidden characters become U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit(text: str, width: float, size: float) -> str:
    """``text``, cut with an ellipsis to be at most ``width`` wide at font ``size``."""
    text = short(text, 2 + int(width / (size * 0.5)))
    while text and text_width(text, size) > width:
        text = text[:-2] + "…"
    return text


def text_width(text: str, size: float = 11) -> float:
    """Approximate drawn width of ``text``: wide (CJK) characters count about double."""
    units = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.64 for ch in text)
    return units * size


def week_labels(n: int, slot: float, label_width: float = 58) -> list[int]:
    """Indexes of the weeks to label on an axis of ``n`` slots ``slot`` pixels wide: every
    ``step``-th from the first, and the last when it does not crowd its neighbour."""
    step = max(1, math.ceil(label_width / slot)) if slot > 0 else n
    out = list(range(0, n, step))
    if out and out[-1] != n - 1:
        if (n - 1 - out[-1]) * slot >= label_width:
            out.append(n - 1)
        elif len(out) > 1:
            out[-1] = n - 1  # the last week is labelled rather than the one before it
    return out


def legend_layout(labels: list[str], width: float) -> list[tuple[float, int]]:
    """``(x offset, row)`` of each legend item, wrapping at ``width``."""
    out, x, row = [], 0.0, 0
    for label in labels:
        w = 18 + text_width(label) + 16
        if x > 0 and x + w > width:
            x, row = 0.0, row + 1
        out.append((x, row))
        x += w
    return out

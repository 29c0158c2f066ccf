"""Line classification for the PyTorchKR weekly posts: labels, week headers, URLs, text.

Each non-blank line becomes one item ``(line number, kind, value, extra)`` with kind
``week``, ``week_error``, ``label``, ``url``, ``tags`` or ``text``; a label with text
after its colon (``논문 링크: https://...``) gives two items.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from evalkit.digests import text as tx
from evalkit.digests.weeks import WeekError, parse_range

SUMMARY, ABSTRACT, LINKS, MORE, CLOSING = "summary", "abstract", "links", "more", "closing"
TEXT_SECTIONS = (SUMMARY, ABSTRACT)


@dataclass(frozen=True)
class Dialect:
    """What tells one edition from the other.

    Attributes:
        format: The format name (``pytorchkr-ko``).
        lang: The native language code.
        language: Its name, for messages.
        labels: Section label without spaces -> section.
        bare_tags: Whether bare lowercase words after the last sentence are tags.
    """

    format: str
    lang: str
    language: str
    labels: Mapping[str, str]
    bare_tags: bool


def _label_key(s: str) -> str:
    k = "".join(s.split()).rstrip(":：")
    for open_, close in (("(", ")"), ("（", "）")):
        if k.endswith(close) and open_ in k:
            j = k.rfind(open_)
            inner = k[j + 1 : -1]
            if inner.isascii() and inner.isalpha():
                k = k[:j]
    return k


def _undecorate(line: str) -> str:
    s = tx.strip_markers(line)
    if s.startswith("#"):
        stripped = s.lstrip("#")
        if stripped[:1].isspace():
            s = stripped.strip()
    if len(s) > 4 and s[:2] in ("**", "__") and s.endswith(s[:2]):
        s = s[2:-2].strip()
    return s


def label_of(line: str, labels: Mapping[str, str]) -> tuple[str, str, str] | None:
    """``(section, label, text after it)`` if ``line`` is a section label, else None.

    Accepts spacing variants, a trailing ``(Abstract)``, a colon, and text after the
    colon on the same line (``논문 링크: https://...``).
    """
    s = _undecorate(line)
    if len(s) <= 40:
        section = labels.get(_label_key(s))
        if section:
            return section, s.rstrip(":：").strip(), ""
    for sep in (":", "："):
        i = s.find(sep, 0, 40)
        if i > 0:
            section = labels.get(_label_key(s[:i]))
            if section:
                return section, s[:i].strip(), s[i + 1 :].strip()
    return None


#: (line number, kind, value, extra)
Item = tuple[int, str, object, object]


def classify(lines: list[str], dialect: Dialect) -> list[Item]:
    """The items of the clean ``lines`` of a post, blank lines left out."""
    items: list[Item] = []
    for number, raw in enumerate(lines, start=1):
        if not raw:
            continue
        s = _undecorate(raw)
        if not s:
            continue
        if s.startswith("["):
            try:
                found = parse_range(s)
            except WeekError as exc:
                items.append((number, "week_error", str(exc), None))
                continue
            if found is not None:
                items.append((number, "week", found[0], found[1]))
                continue
        label = label_of(raw, dialect.labels)
        if label is not None:
            section, label_text, rest = label
            items.append((number, "label", section, label_text))
            if not rest:
                continue
            s = rest
        if tx.is_url(s):
            items.append((number, "url", tx.url_of(s), None))
            continue
        tags = tx.hash_tag_line(s)
        if tags is not None:
            items.append((number, "tags", tags, None))
            continue
        items.append((number, "text", s, None))
    return items


def count_labels(lines: list[str], dialect: Dialect) -> int:
    """How many lines are section labels of ``dialect`` (for format detection)."""
    return sum(1 for line in lines if line and label_of(line, dialect.labels) is not None)

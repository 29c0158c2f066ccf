"""Text helpers shared by the digest parsers.

Everything here is linear in the length of its input: no regular expression with
nested or overlapping quantifiers, no rescanning loops. Digests can be mutated or
hostile; a parser built from these helpers cannot hang on them.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters removed outright: zero-width marks, stray byte-order marks, C0/C1 controls
#: (except tab, turned into a space below).
_DROP = dict.fromkeys(
    [0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x7F]
    + [c for c in range(0x20) if c != 0x09]
    + list(range(0x80, 0xA0))
)
_SPACES = str.maketrans({"\t": " ", "\u00a0": " ", "\u2028": " ", "\u2029": " "})
_SPACE_RUN = re.compile(r"  +")

#: Line markers a digest puts before text: bullets, list dashes, quote markers.
_BULLETS = frozenset("•·‣◦▪●○■□–—-*+・")
_QUOTES = frozenset(">＞")
_MARKERS = re.compile(
    "(?:(?:["
    + re.escape("".join(sorted(_QUOTES)))
    + "]|["
    + re.escape("".join(sorted(_BULLETS)))
    + r"](?=\s))\s*)*"
)

_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]")
_KANA_HAN = re.compile(
    r"[\u3005\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_NATIVE = re.compile(_HANGUL.pattern + "|" + _KANA_HAN.pattern)
_SEPARATOR = re.compile(" [/／] ")

SENTENCE_END = ".!?。！？"
_BARE_TAG = re.compile(r"[a-z0-9][a-z0-9-]*")
_MAX_TAGS = 12

_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)|huggingface\.co/papers)/"
    r"((?:\d{4}\.\d{4,5})|(?:[a-z][a-z.-]{0,20}/\d{7}))(?:v\d{1,3})?",
    re.IGNORECASE,
)


def clean_line(line: str) -> str:
    """Normalize one line: NFC, no controls or zero-width marks, single spaces, no edges."""
    line = line.translate(_DROP).translate(_SPACES)
    if not unicodedata.is_normalized("NFC", line):
        line = unicodedata.normalize("NFC", line)
    if "  " in line:
        line = _SPACE_RUN.sub(" ", line)
    return line.strip()


def strip_markers(line: str) -> str:
    """Remove leading bullets (``•``, ``-``, ``*``), quote markers (``>``) and indentation.

    A bullet counts only when a space follows it, so ``-1.5`` or ``*args`` stay intact;
    a quote marker counts with or without one. One regular-expression match whose
    alternatives start with different characters: a line of 200,000 markers costs what
    its length costs (no copy per marker, no backtracking).
    """
    s = line.strip()
    end = _MARKERS.match(s).end()  # type: ignore[union-attr]  # matches the empty string
    return s[end:] if end else s


def count_native(text: str, lang: str) -> int:
    """Characters of the native script of ``lang`` (Hangul for ko, kana and kanji for ja)."""
    pattern = _HANGUL if lang == "ko" else _KANA_HAN
    return len(text) - len(pattern.sub("", text))


def count_latin(text: str) -> int:
    return len(text) - len(_LATIN.sub("", text))


def is_native(text: str, lang: str) -> bool:
    """Whether a paragraph is written in ``lang`` rather than English.

    Decided by script, not position: a Korean paragraph that quotes a long English
    title is still Korean; an English paragraph naming one Korean word is English.
    """
    native = count_native(text, lang)
    if native == 0:
        return False
    return native / (native + count_latin(text)) >= 0.05


def has_native(text: str) -> bool:
    """Whether ``text`` holds any Korean or Japanese character."""
    return _NATIVE.search(text) is not None


def is_url(line: str) -> bool:
    """A line that is nothing but one URL (``<...>`` brackets allowed)."""
    s = line.strip().strip("<>")
    return s.lower().startswith(("http://", "https://")) and not any(c.isspace() for c in s)


def url_of(line: str) -> str:
    return line.strip().strip("<>")


def arxiv_id(url: str) -> str | None:
    """The arXiv id in an arXiv (abs, pdf, html) or Hugging Face papers URL, without version."""
    m = _ARXIV.search(url)
    return m.group(1).lower() if m else None


def hash_tag_line(line: str) -> list[str] | None:
    """The tags of a line made only of ``#tag`` words, else None."""
    words = line.split()
    if not words:
        return None
    tags: list[str] = []
    for w in words:
        parts = _hash_word(w)
        if parts is None:
            return None
        tags.extend(parts)
    return tags


def _hash_word(word: str) -> list[str] | None:
    if not word.startswith("#") or len(word) < 2:
        return None
    parts = word[1:].split("#")
    if not all(parts) or not any(ch.isalpha() for ch in word):
        return None
    return parts


def strip_trailing_tags(text: str, *, bare: bool = False) -> tuple[str, list[str]]:
    """Split tag words glued after the last sentence of ``text`` off it.

    ``#tag`` words at the end are always tags. With ``bare``, lowercase ASCII words after
    the last sentence end (``... 제공합니다. survey-paper llm``) are tags too.

    Returns:
        The text without the tags, and the tags in order (without ``#``).
    """
    s = text.rstrip()
    tags: list[str] = []
    for _ in range(_MAX_TAGS):
        cut = _last_space(s)
        parts = _hash_word(s[cut + 1 :])
        if parts is None or cut < 0:
            break
        tags[:0] = parts
        s = s[:cut].rstrip()
    if tags or not bare:
        return s, tags
    rest = s
    words: list[str] = []
    for _ in range(_MAX_TAGS // 2):
        cut = _last_space(rest)
        if cut < 0:
            break
        word = rest[cut + 1 :]
        if not _BARE_TAG.fullmatch(word) or not any(c.isalpha() for c in word):
            break
        words.insert(0, word)
        rest = rest[:cut].rstrip()
        if rest.endswith(tuple(SENTENCE_END)) and count_native(rest, "ko") + count_native(
            rest, "ja"
        ):
            return rest, words
    return s, []


def _last_space(s: str) -> int:
    i = len(s) - 1
    while i >= 0 and not s[i].isspace():
        i -= 1
    return i


def split_heading(heading: str) -> tuple[str | None, str | None]:
    """Split ``native title / English title`` into its two halves.

    The split is at the first `` / `` after the last Korean or Japanese character, so a
    `` / `` inside either title survives. A heading in English alone is returned as the
    English title with no native half; ``English / native`` is accepted too.

    Returns:
        ``(native, english)``; either may be None.
    """
    h = heading.strip()
    last_native = -1
    for m in _NATIVE.finditer(h):
        last_native = m.start()
    if last_native < 0:
        return None, h or None
    seps = [m.start() for m in _SEPARATOR.finditer(h)]
    for i in seps:
        if i > last_native:
            left, right = h[:i].strip(), h[i + 3 :].strip()
            if count_latin(right):
                return left or None, right
            break
    if seps:
        i = seps[0]
        left, right = h[:i].strip(), h[i + 3 :].strip()
        if count_latin(left) and not has_native(left) and has_native(right):
            return right, left
    return h, None


def parse_authors(line: str) -> tuple[str, list[str]]:
    """Split ``Title (Author, Author, ...)`` into the title and the author list.

    Scans from the end for the balanced parenthesized group closing the line, so a
    title with its own parentheses keeps them. Without such a group the whole line is
    the title.
    """
    s = line.strip()
    if not s.endswith(")"):
        return s, []
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        ch = s[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                title, inner = s[:i].strip(), s[i + 1 : -1]
                if not title:
                    return s, []
                return title, split_author_list(inner)
    return s, []


def split_author_list(text: str) -> list[str]:
    """``"A, B and C"`` -> ``["A", "B", "C"]``; whitespace normalized."""
    text = " ".join(text.split())
    out: list[str] = []
    for part in text.split(","):
        part = part.strip()
        if part.startswith("and "):
            part = part[4:].strip()
        for sub in part.split(" and ") if " and " in part else [part]:
            sub = sub.strip()
            if sub:
                out.append(sub)
    return out


def normalize_title(title: str) -> str:
    """A key under which spellings of the same English title compare equal."""
    t = unicodedata.normalize("NFKD", title).casefold()
    t = t.replace("’", "").replace("'", "")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in t).split())


def slugify(title: str, *, max_len: int = 100) -> str:
    """``Ring Attention with ... Context`` -> ``ring-attention-with-...-context`` (ASCII)."""
    t = unicodedata.normalize("NFKD", title).casefold()
    t = t.replace("’", "").replace("'", "")
    t = t.encode("ascii", "ignore").decode("ascii")
    slug = "-".join("".join(ch if ch.isalnum() else " " for ch in t).split())
    if len(slug) > max_len:
        cut = slug.rfind("-", 0, max_len + 1)
        slug = slug[: cut if cut > 0 else max_len]
    return slug


def one_line(text: str, limit: int = 60) -> str:
    """A short one-line quotation of ``text`` for messages."""
    t = " ".join(text.split())
    return t if len(t) <= limit else t[: limit - 1] + "…"

"""What one line of a paper note is: a link, a title, tags, a quote, a tag of a block.

Shared by both layouts of the notes (one Markdown file per paper, and notes assembled
under weekly headers). Every helper is linear in the length of its line.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from evalkit.digests import text as tx

#: Longest title (without its author group) taken as a title line.
MAX_TITLE = 500
#: Longest title line with its authors: author lists of 1,000 to 2,000 characters occur.
MAX_TITLE_LINE = 8000
_LINKS_HEADER = re.compile(r"#{1,6}\s*(?:links?|related|references?)\s*:?", re.IGNORECASE)
_WIKI = re.compile(r"\[\[([^\[\]\n]{1,500})\]\]")
_SENTENCE_END = tuple(".!?。")
_EMPHASIS = ("**", "__", "*", "_")


def unwrap_url(url: str) -> str:
    """The target of a redirect wrapper (``l.facebook.com/l.php?u=...``), else ``url``."""
    for _ in range(3):
        try:
            query = urlsplit(url).query
        except ValueError:
            return url
        inner = next(
            (
                v
                for _k, v in parse_qsl(query)
                if unquote(v).lower().startswith(("http://", "https://"))
            ),
            None,
        )
        if inner is None:
            return url
        url = unquote(inner)
    return url


def link_of(line: str) -> tuple[str, str | None] | None:
    """``(url, arXiv id)`` of a line that is only a link: a URL, ``<URL>`` or ``[text](URL)``.

    Redirect wrappers are unwrapped; the arXiv id comes from the link text or target.
    """
    s = line.strip()
    if s.lower().startswith(("arxiv.org/", "www.arxiv.org/")) and not any(c.isspace() for c in s):
        s = "https://" + s
    if tx.is_url(s):
        url = unwrap_url(tx.url_of(s))
        return url, tx.arxiv_id(url) or tx.arxiv_id(tx.url_of(s))
    if not (s.startswith("[") and s.endswith(")")):
        return None
    cut = s.find("](")
    if cut < 0:
        return None
    label, target = s[1:cut].strip(), s[cut + 2 : -1].strip().strip("<>")
    if not target.lower().startswith(("http://", "https://")) or any(c.isspace() for c in target):
        return None
    unwrapped = unwrap_url(target)
    ident = tx.arxiv_id(label) or tx.arxiv_id(unwrapped) or tx.arxiv_id(target)
    url = label if tx.is_url(label) else unwrapped
    return url, ident


def wiki_links(line: str) -> list[str]:
    """The notes named by ``[[note]]`` / ``[[note|alias]]`` in ``line``."""
    return [m.group(1).split("|", 1)[0].strip() for m in _WIKI.finditer(line)]


def only_wiki_links(line: str) -> bool:
    """A line made only of ``[[...]]`` links (and commas or spaces)."""
    return bool(_WIKI.search(line)) and not _WIKI.sub("", line).strip(" ,·-")


def drop_wiki_markup(line: str) -> str:
    """``see [[240101 Note.md]]`` -> ``see 240101 Note.md``: the name stays readable."""
    return _WIKI.sub(lambda m: m.group(1).split("|", 1)[-1].strip(), line)


def is_links_header(line: str) -> bool:
    """A Markdown heading that opens the note's link section (``# Links``)."""
    return _LINKS_HEADER.fullmatch(line.strip()) is not None


def _emphasis(s: str) -> tuple[str, str] | None:
    """``*Title* (rest)`` -> ``("Title", "(rest)")``; None if ``s`` does not open so."""
    for mark in _EMPHASIS:
        if s.startswith(mark) and len(s) > 2 * len(mark) and not s[len(mark)].isspace():
            end = s.find(mark, len(mark))
            while end > 0 and s[end - 1].isspace():
                end = s.find(mark, end + len(mark))
            if end <= len(mark):
                return None
            return s[len(mark) : end].strip(), s[end + len(mark) :].strip()
    return None


def _looks_like_authors(authors: list[str]) -> bool:
    """Names, not a citation or a parenthesized remark: mostly capitalized, no URLs."""
    if not authors or any("://" in a or len(a) > 120 for a in authors):
        return False
    capital = sum(1 for a in authors if a[:1].isupper() or a[:1].isdigit() and ":" in a)
    return capital * 5 >= len(authors) * 4 and any(ch.isalpha() for a in authors for ch in a)


def title_of(s: str, *, strict: bool = True) -> tuple[str, list[str]] | None:
    """``(title, authors)`` if ``s`` is a note's title line, else None.

    A title line is ``English title (Author, Author, ...)`` or, since 2024,
    ``*English title* (Author, ...)``; the emphasis marks are removed. Titles keep
    non-ASCII letters and TeX (``$\\infty$Bench``). With ``strict`` (where a title is
    not expected), a line needs its author group and must not read as a sentence.
    """
    if not 0 < len(s) <= MAX_TITLE_LINE or tx.has_native(s):
        return None
    emphasized = _emphasis(s)
    if emphasized is not None:
        title, rest = emphasized
        if not title or len(title) > MAX_TITLE or not any(ch.isalpha() for ch in title):
            return None
        if not rest:
            return title, []
        _, authors = tx.parse_authors("x " + rest)
        if rest.startswith("(") and rest.endswith(")") and _looks_like_authors(authors):
            return title, authors
        return None
    title, authors = tx.parse_authors(s)
    if len(title) > MAX_TITLE or not any(ch.isalpha() for ch in title) or "://" in title:
        return None
    if authors and not _looks_like_authors(authors):
        return None
    if title.endswith(_SENTENCE_END + (",", ";", ":")):
        return None
    if strict and not authors:
        return None
    return title, authors


def is_title_line(s: str) -> bool:
    """Whether ``s`` is a complete title line (title and author group, or emphasis)."""
    return title_of(s) is not None

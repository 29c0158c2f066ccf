"""A small sentence splitter for English, Korean and Japanese prose.

Good enough for lead baselines over paper abstracts: it knows common English
abbreviations (``e.g.``, ``et al.``, ``Fig.``), initials and decimals, Korean
sentences (which end in ``.``, ``?`` or ``!`` followed by a space) and Japanese ones
(which end in ``。``, ``！`` or ``？`` with no space after). Line breaks end sentences.
"""

from __future__ import annotations

import re

#: Words that end with a period without ending the sentence (compared lowercased).
ABBREVIATIONS = frozenset(
    [
        "al",
        "approx",
        "cf",
        "co",
        "corp",
        "dept",
        "dr",
        "e.g",
        "eq",
        "eqs",
        "esp",
        "est",
        "fig",
        "figs",
        "i.e",
        "inc",
        "jr",
        "lt",
        "ltd",
        "min",
        "mr",
        "mrs",
        "ms",
        "no",
        "nos",
        "p",
        "pp",
        "prof",
        "resp",
        "sec",
        "secs",
        "sr",
        "st",
        "tab",
        "u.k",
        "u.s",
        "vol",
        "vs",
        "viz",
    ]
)

_LATIN_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)")
_CJK_END = re.compile(r"[\u3002\uff01\uff1f]+[\u300d\u300f\uff09)\"\u201d]*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _is_boundary(para: str, start: int, end: int) -> bool:
    """Whether the Latin terminator at ``para[start:end]`` ends a sentence."""
    rest = para[end:].lstrip()
    if not rest:
        return True
    if para[start] != ".":
        return True
    nxt = rest[0]
    if nxt.islower() or nxt in ",;:":
        return False
    word = _WORD_BEFORE.search(para[:start])
    if word:
        token = word.group(1).lower()
        if token in ABBREVIATIONS or token.rstrip(".") in ABBREVIATIONS:
            return False
        if len(token) == 1 and para[word.start()].isupper():  # an initial: "J. Smith"
            return False
    return True


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (stripped, none empty), in order.

    >>> split_sentences("We use e.g. BLEU. See Fig. 2 for 3.5 points. 좋습니다. 次です。終わり")
    ['We use e.g. BLEU.', 'See Fig. 2 for 3.5 points.', '좋습니다.', '次です。', '終わり']
    """
    sentences: list[str] = []
    for para in text.splitlines():
        cuts = {m.end() for m in _CJK_END.finditer(para)}
        cuts |= {
            m.end() for m in _LATIN_END.finditer(para) if _is_boundary(para, m.start(), m.end())
        }
        start = 0
        for cut in sorted(cuts):
            piece = para[start:cut].strip()
            if piece:
                sentences.append(piece)
            start = cut
        piece = para[start:].strip()
        if piece:
            sentences.append(piece)
    return sentences


def lead(text: str, n: int) -> str:
    """The first ``n`` sentences of ``text``, joined as in the source language."""
    sentences = split_sentences(text)[:n]
    joiner = "" if sentences and _CJK_END.search(sentences[0][-2:]) else " "
    return joiner.join(sentences)

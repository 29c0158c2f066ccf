"""Flags for degenerate hypotheses: empty, far too long, or looping.

Such outputs are common from generative systems (a model that stops at once, or one
that repeats a phrase until its token limit). They must be visible in reports, and
they must not stall scoring: TER's shift search costs seconds per segment on an
output that repeats itself (a translation printed twice takes sacrebleu ~15 s), so
:class:`~evalkit.scorers.sacrebleu_metrics.TERScorer` skips the shift search for
flagged segments and says so in its signature.

The checks are cheap (a zlib pre-filter keeps the exact loop check off ordinary
text) and conservative: none of the bundled digest texts is flagged.
"""

from __future__ import annotations

import zlib

EMPTY = "empty"
TOO_LONG = "too_long"
LOOP = "loop"

#: A hypothesis with more than this many times the reference's characters is too long.
MAX_LENGTH_RATIO = 20
#: Length of the character n-grams whose repetition counts as looping.
LOOP_NGRAM = 20
#: Share of the text covered by n-grams seen earlier in it above which it loops.
LOOP_COVERAGE = 0.4
#: Texts of at least this many bytes that zlib (level 1) cannot shrink below
#: ``_ZLIB_PREFILTER`` of their size cannot be 40% repetition: the exact check is
#: skipped for them. (Digest texts of 400+ bytes: >= 0.47; the same texts printed
#: twice, 50% repetition: <= 0.40.)
_ZLIB_MIN_BYTES = 400
_ZLIB_PREFILTER = 0.55


def _chars(text: str) -> str:
    return "".join(text.split())


def repeated_share(text: str, n: int = LOOP_NGRAM) -> float:
    """Share of the characters of ``text`` (whitespace removed) inside an ``n``-gram
    that already occurred earlier in the text."""
    s = _chars(text)
    size = len(s)
    if size < 2 * n:
        return 0.0
    seen: set[str] = set()
    covered = 0
    end = 0  # first position not yet counted as covered
    for i in range(size - n + 1):
        gram = s[i : i + n]
        if gram in seen:
            start = i if i > end else end
            covered += i + n - start
            end = i + n
        else:
            seen.add(gram)
    return covered / size


def is_loop(text: str) -> bool:
    """Whether at least 40% of ``text`` repeats what it already said (20-char n-grams)."""
    data = text.encode("utf-8")
    if len(data) < 2 * LOOP_NGRAM:
        return False
    if len(data) >= _ZLIB_MIN_BYTES and len(zlib.compress(data, 1)) / len(data) >= _ZLIB_PREFILTER:
        return False
    return repeated_share(text) >= LOOP_COVERAGE


def flags(hyp: str, ref: str) -> list[str]:
    """Degeneracy flags of one hypothesis against its reference.

    Returns:
        A subset of ``["empty", "too_long", "loop"]`` in that order: ``empty`` when the
        hypothesis has no non-space character but the reference has; ``too_long`` when
        it has more than 20 times the reference's non-space characters; ``loop`` when
        40% or more of it repeats 20-character stretches it already contained.
    """
    out: list[str] = []
    h = len(_chars(hyp))
    r = len(_chars(ref))
    if h == 0:
        if r > 0:
            out.append(EMPTY)
        return out
    if h > MAX_LENGTH_RATIO * max(r, 1):
        out.append(TOO_LONG)
    if is_loop(hyp):
        out.append(LOOP)
    return out


def all_flags(
    hyps: list[str] | tuple[str, ...], refs: list[str] | tuple[str, ...]
) -> list[list[str]]:
    """:func:`flags` for every segment."""
    return [flags(h, r) for h, r in zip(hyps, refs, strict=True)]


def stalls_ter(segment_flags: list[str]) -> bool:
    """Whether TER's shift search should be skipped for a segment with these flags."""
    return TOO_LONG in segment_flags or LOOP in segment_flags

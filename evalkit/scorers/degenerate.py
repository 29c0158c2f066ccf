"""Flags for system outputs that are visibly wrong, and TER's bound on pathological ones.

:func:`output_flags` is the one function that flags an output, for ``evalkit run``
(``segments.jsonl``) and ``evalkit score`` alike: empty (nothing visible), a copy of
its source, far too long for its reference, or looping. Flags are diagnostics only:
no flag changes a number.

TER's shift search is the only scorer work that grows with how badly an output
loops. Its candidates are capped (1,000 a segment, as in sacrebleu) and evalkit
computes them together in numpy, so a looping output of thousands of words still
takes well under a second and gets sacrebleu's exact number. The bound of
:func:`ter_search_bounded` is reached only by outputs at least
:data:`TER_BOUND_RATIO` times longer than their reference *and* longer than
:data:`TER_BOUND_MIN_WORDS` words, which no translation is; only there is the shift
search skipped (the plain edit distance is an upper bound of TER), counted per
segment, and named in the signature.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Sequence

EMPTY = "empty_output"
COPY = "copy_of_source"
TOO_LONG = "too_long"
LOOP = "loop"
#: Every flag :func:`output_flags` can return, in the order it returns them.
FLAGS = (EMPTY, COPY, TOO_LONG, LOOP)
#: Not an output flag: the segment flag of a TER score past :func:`ter_search_bounded`.
TER_NOSHIFT = "ter_noshift"

#: An output with more than this many times the reference's characters is too long.
MAX_LENGTH_RATIO = 20
#: Length of the character n-grams whose repetition counts as looping.
LOOP_NGRAM = 20
#: Share of the text covered by n-grams seen earlier in it at or above which it loops...
LOOP_COVERAGE = 0.4
#: ...provided the repeated stretches cover at least this many characters: natural
#: repetition ("Freestyle Freestyle Freestyle", a list of numbers) covers far fewer.
LOOP_MIN_REPEATED = 100
#: Texts of at least this many bytes that zlib (level 1) cannot shrink below
#: ``_ZLIB_PREFILTER`` of their size cannot be 40% repetition: the exact check is
#: skipped for them. (Digest texts of 400+ bytes: >= 0.47; the same texts printed
#: twice, 50% repetition: <= 0.40.)
_ZLIB_MIN_BYTES = 400
_ZLIB_PREFILTER = 0.55

#: TER skips its shift search only for outputs this many times longer than their
#: reference (in TER words)...
TER_BOUND_RATIO = 20
#: ...and longer than this many words.
TER_BOUND_MIN_WORDS = 1000


def visible(text: str) -> str:
    """``text`` without whitespace and invisible format characters (zero-width space,
    joiners, BOM: Unicode category Cf)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def repeated_coverage(text: str, n: int = LOOP_NGRAM) -> tuple[int, int]:
    """``(covered, size)``: characters of ``text`` (whitespace removed) inside an
    ``n``-gram that already occurred earlier in the text, and all its characters."""
    s = "".join(text.split())
    size = len(s)
    if size < 2 * n:
        return 0, size
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
    return covered, size


def repeated_share(text: str, n: int = LOOP_NGRAM) -> float:
    """Share of the characters of ``text`` (whitespace removed) inside an ``n``-gram
    that already occurred earlier in the text."""
    covered, size = repeated_coverage(text, n)
    return covered / size if size else 0.0


def is_loop(text: str) -> bool:
    """Whether ``text`` repeats itself: 40% or more of it, and at least 100 characters,
    repeat 20-character stretches it already contained."""
    data = text.encode("utf-8")
    if len(data) < LOOP_MIN_REPEATED:
        return False
    if len(data) >= _ZLIB_MIN_BYTES and len(zlib.compress(data, 1)) / len(data) >= _ZLIB_PREFILTER:
        return False
    covered, size = repeated_coverage(text)
    return covered >= LOOP_MIN_REPEATED and covered >= LOOP_COVERAGE * size


def output_flags(
    output: str, *, reference: str | Sequence[str] | None = None, source: str | None = None
) -> list[str]:
    """What is visibly wrong with one output, whatever the metrics say.

    Args:
        output: The system output.
        reference: Its reference, or several (the longest counts for ``too_long``);
            None: no length check.
        source: Its source; None: no copy check.

    Returns:
        A subset of :data:`FLAGS`, in that order: ``empty_output`` when nothing in it is
        visible (only whitespace or zero-width characters: nothing else is checked);
        ``copy_of_source`` when it is the source again (whitespace aside);
        ``too_long`` when it has more than 20 times the reference's visible characters;
        ``loop`` when it repeats itself (:func:`is_loop`).
    """
    shown = visible(output)
    if not shown:
        return [EMPTY]
    out: list[str] = []
    if source is not None and output.split() == source.split():
        out.append(COPY)
    if reference is not None:
        refs = [reference] if isinstance(reference, str) else list(reference)
        longest = max((len(visible(r)) for r in refs), default=0)
        if len(shown) > MAX_LENGTH_RATIO * max(longest, 1):
            out.append(TOO_LONG)
    if is_loop(output):
        out.append(LOOP)
    return out


def flags(hyp: str, ref: str | Sequence[str]) -> list[str]:
    """:func:`output_flags` of a hypothesis against its reference(s) (no source)."""
    return output_flags(hyp, reference=ref)


def all_flags(hyps: Sequence[str], refs: Sequence[str | Sequence[str]]) -> list[list[str]]:
    """:func:`flags` for every segment."""
    return [flags(h, r) for h, r in zip(hyps, refs, strict=True)]


def ter_search_bounded(hyp_words: int, ref_words: int) -> bool:
    """Whether TER skips its shift search for a segment of these lengths (in words).

    True only for outputs more than :data:`TER_BOUND_RATIO` times longer than a
    non-empty reference and longer than :data:`TER_BOUND_MIN_WORDS` words.
    """
    return (
        ref_words > 0
        and hyp_words > TER_BOUND_MIN_WORDS
        and hyp_words > TER_BOUND_RATIO * ref_words
    )

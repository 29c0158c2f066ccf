"""Longest common subsequences for ROUGE-L and ROUGE-Lsum, equal to rouge-score's.

ROUGE-L needs only the LCS length, which rapidfuzz computes with a bit-parallel
algorithm in compiled code (microseconds where rouge-score's Python table takes
tens of milliseconds). ROUGE-Lsum needs *which* reference tokens the LCS uses, and
its union over candidate sentences depends on rouge-score's backtracking choice, so
that part follows rouge-score's table and backtrack exactly, with shortcuts where the
answer does not depend on the choice (no common token; the whole reference sentence).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rapidfuzz.distance import LCSseq


def lcs_length(a: Sequence[int], b: Sequence[int]) -> int:
    """Length of the longest common subsequence of two id sequences."""
    if not a or not b:
        return 0
    return int(LCSseq.similarity(a, b))


def lcs_ref_indices(ref: Sequence[int], can: Sequence[int]) -> list[int]:
    """Reference positions of one LCS, the one rouge-score's ``lcs_ind`` returns."""
    rows, cols = len(ref), len(can)
    table = [[0] * (cols + 1)]
    for i in range(rows):
        prev = table[-1]
        cur = [0] * (cols + 1)
        r = ref[i]
        for j in range(cols):
            if r == can[j]:
                cur[j + 1] = prev[j] + 1
            else:
                up, left = prev[j + 1], cur[j]
                cur[j + 1] = up if up > left else left
        table.append(cur)
    i, j = rows, cols
    out: list[int] = []
    while i > 0 and j > 0:
        if ref[i - 1] == can[j - 1]:
            out.append(i - 1)
            i -= 1
            j -= 1
        elif table[i][j - 1] > table[i - 1][j]:
            j -= 1
        else:
            i -= 1
    out.reverse()
    return out


def _union_indices(
    ref: Sequence[int], cands: Sequence[Sequence[int]], cand_sets: list[set[int]]
) -> list[int]:
    union: set[int] = set()
    ref_set = set(ref)
    for can, can_set in zip(cands, cand_sets, strict=True):
        if ref_set.isdisjoint(can_set):
            continue
        n = lcs_length(ref, can)
        if n == len(ref):
            return list(range(len(ref)))
        if n:
            union.update(lcs_ref_indices(ref, can))
    return sorted(union)


def summary_lcs_hits(ref_sents: Sequence[Sequence[int]], can_sents: Sequence[Sequence[int]]) -> int:
    """Summary-level union-LCS hits (rouge-score's ``_summary_level_lcs`` numerator)."""
    if len(ref_sents) == 1 and len(can_sents) == 1:
        # One LCS never uses a token more often than either side has it: all are hits.
        return lcs_length(ref_sents[0], can_sents[0])
    cnt_r: Counter[int] = Counter()
    cnt_c: Counter[int] = Counter()
    for s in ref_sents:
        cnt_r.update(s)
    for s in can_sents:
        cnt_c.update(s)
    cand_sets = [set(c) for c in can_sents]
    hits = 0
    for r in ref_sents:
        for t in (r[i] for i in _union_indices(r, can_sents, cand_sets)):
            if cnt_c[t] > 0 and cnt_r[t] > 0:
                hits += 1
                cnt_c[t] -= 1
                cnt_r[t] -= 1
    return hits

"""TER's shift search with the edit distances of all candidate shifts computed together.

sacrebleu's :func:`sacrebleu.metrics.lib_ter.translation_edit_rate` follows Tercom: it
tries every shift of a matching block of words (at most 1,000 candidates a segment),
computes a beam-limited edit distance for each in pure Python, applies the best, and
repeats. On a Korean or Japanese abstract split into morphemes that takes one to
several seconds.

:func:`translation_edit_rate` here is the same algorithm with the same limits, beam and
tie-breaking (it reuses sacrebleu's candidate enumeration, alignment and shift helpers),
and gives the same numbers. What changes is how the edit distances of one round of
candidates are computed: all at once, one matrix row at a time in numpy, each candidate
starting from the row where it first differs from the current hypothesis (the rows
before are the current hypothesis's own). A row's insertion chain, sequential in
sacrebleu's loop, is a running minimum (``min(best[j], row[j-1] + 1)`` is
``minimum.accumulate(best - j) + j``), so a row is a handful of array operations.

Short segments stay with sacrebleu's function, which is faster below
:data:`NUMPY_MIN_CELLS` cells of edit-distance matrix.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: Below this many matrix cells (hypothesis words x reference words), sacrebleu's own
#: pure-Python search is faster than numpy's per-call overhead.
NUMPY_MIN_CELLS = 4000

_INS, _DEL, _NOP, _SUB, _UNDEF = 0, 1, 2, 3, 4
_OP_CHARS = "id sx"  # indexed by the codes above: sacrebleu's trace characters


def translation_edit_rate(
    words_hyp: Sequence[str], words_ref: Sequence[str], *, min_cells: int = NUMPY_MIN_CELLS
) -> tuple[int, int]:
    """``(edits, reference length)``, equal to sacrebleu's ``translation_edit_rate``.

    Args:
        words_hyp: Hypothesis words.
        words_ref: Reference words.
        min_cells: Use sacrebleu's own function below this many matrix cells.
    """
    from sacrebleu.metrics import lib_ter

    n_ref = len(words_ref)
    if n_ref == 0:
        return len(words_hyp), 0
    if len(words_hyp) * n_ref < min_cells:
        return lib_ter.translation_edit_rate(list(words_hyp), list(words_ref))  # type: ignore[no-any-return]
    ids: dict[str, int] = {}
    ref = [ids.setdefault(w, len(ids)) for w in words_ref]
    hyp = [ids.setdefault(w, len(ids)) for w in words_hyp]
    search = _Search(ref, len(hyp))
    shifts = 0
    checked = 0
    while True:
        delta, new_hyp, checked = search.shift(hyp, checked)
        if checked >= lib_ter._MAX_SHIFT_CANDIDATES:
            break
        if delta <= 0:
            break
        shifts += 1
        hyp = new_hyp
    distance = search.distance(hyp)
    return shifts + distance, n_ref


class _Search:
    """Edit distances against one reference for hypotheses of one length."""

    def __init__(self, ref: list[int], n_hyp: int):
        import numpy as np
        from sacrebleu.metrics import lib_ter

        self.np = np
        self.inf = lib_ter._INT_INFINITY
        self.ref = ref
        m = len(ref)
        self.m = m
        self.n = n_hyp
        # ref_ext[j] is the reference word compared with at column j (j >= 1).
        self.ref_ext = np.array([-1, *ref], dtype=np.int64)
        # The beam of each row, exactly as sacrebleu computes it (floats included).
        ratio = m / n_hyp if n_hyp else 1
        width = (
            math.ceil(ratio / 2 + lib_ter._BEAM_WIDTH)
            if ratio / 2 > lib_ter._BEAM_WIDTH
            else lib_ter._BEAM_WIDTH
        )
        self.windows: list[tuple[int, int]] = [(0, m + 1)]
        for i in range(1, n_hyp + 1):
            diag = math.floor(i * ratio)
            lo, hi = max(0, diag - width), min(m + 1, diag + width)
            if i == n_hyp:
                hi = m + 1
            self.windows.append((lo, hi))
        self.first_row = np.arange(m + 1, dtype=np.int64)
        # Where each word occurs in the reference, for the candidate enumeration.
        self.positions: dict[int, list[int]] = {}
        for j, w in enumerate(ref):
            self.positions.setdefault(w, []).append(j)
        self._steps: dict[int, np.ndarray] = {}

    def shifted_pairs(self, words_h: list[int]) -> Iterator[tuple[int, int, int]]:
        """sacrebleu's ``_find_shifted_pairs`` in the same order, visiting only the
        reference positions where the hypothesis word occurs."""
        from sacrebleu.metrics.lib_ter import _MAX_SHIFT_DIST, _MAX_SHIFT_SIZE

        ref = self.ref
        n, m = len(words_h), self.m
        for start_h, word in enumerate(words_h):
            for start_r in self.positions.get(word, ()):
                if start_r < start_h - _MAX_SHIFT_DIST:
                    continue
                if start_r > start_h + _MAX_SHIFT_DIST:
                    break
                length = 0
                while (
                    length < _MAX_SHIFT_SIZE
                    and start_h + length < n
                    and start_r + length < m
                    and words_h[start_h + length] == ref[start_r + length]
                ):
                    length += 1
                    yield start_h, start_r, length

    # -- one row of the matrix for a batch of hypotheses ----------------------------

    def _row(self, prev: np.ndarray, i: int, words: np.ndarray) -> np.ndarray:
        """Row ``i`` (window-relative) from row ``i - 1`` for each hypothesis of the batch.

        ``prev`` has shape ``(k, width of row i-1)``; ``words`` the ``k`` hypothesis words
        at position ``i - 1``.
        """
        np = self.np
        inf = self.inf
        plo, phi = self.windows[i - 1]
        lo, hi = self.windows[i]
        # ext[:, t] is the previous row at column lo - 1 + t (INF outside its window).
        ext = np.full((prev.shape[0], hi - lo + 1), inf, dtype=np.int64)
        a, b = max(lo - 1, plo), min(hi, phi)
        if a < b:
            ext[:, a - (lo - 1) : b - (lo - 1)] = prev[:, a - plo : b - plo]
        diag = ext[:, :-1] + (self.ref_ext[lo:hi][None, :] != words[:, None])
        up = ext[:, 1:] + 1
        # sacrebleu keeps the first of (diag, up, left) strictly below the cell's value
        # so far (INF to begin with); the value is their minimum, capped at INF.
        best = np.minimum(np.minimum(diag, inf), up)
        if lo == 0:  # column 0 is assigned: one more deletion than the row above
            best[:, 0] = up[:, 0]
        t = self._steps.get(hi - lo)
        if t is None:
            t = self._steps[hi - lo] = np.arange(hi - lo, dtype=np.int64)
        return np.minimum.accumulate(best - t, axis=1) + t  # the insertion chain

    def _op(self, rows: list[list[int]], hyp: list[int], i: int, j: int) -> int:
        """The operation sacrebleu records at cell ``(i, j)``, from the values around it."""
        if i == 0:
            return _INS  # the first row is all insertions
        lo, hi = self.windows[i]
        if not lo <= j < hi:
            return _UNDEF
        if j == 0:
            return _DEL
        inf = self.inf
        plo, phi = self.windows[i - 1]
        prev = rows[i - 1]
        left_up = prev[j - 1 - plo] if plo <= j - 1 < phi else inf
        above = prev[j - plo] if plo <= j < phi else inf
        differs = hyp[i - 1] != self.ref[j - 1]
        diag = left_up + differs
        first = min(diag, inf)
        up = above + 1
        if rows[i][j - lo] < min(first, up):
            return _INS
        if up < first:
            return _DEL
        if diag < inf:
            return _SUB if differs else _NOP
        return _UNDEF

    # -- the current hypothesis: distance and trace ---------------------------------

    def distance(self, hyp: list[int]) -> int:
        return self._full(hyp, with_trace=False)[0]

    def _full(self, hyp: list[int], with_trace: bool) -> tuple[int, str, list[np.ndarray]]:
        """Edit distance, sacrebleu's trace (when ``with_trace``), and every row."""
        np = self.np
        words = np.array(hyp, dtype=np.int64)
        rows = [self.first_row[None, :]]
        for i in range(1, self.n + 1):
            rows.append(self._row(rows[-1], i, words[i - 1 : i]))
        lo_last = self.windows[self.n][0]
        distance = int(rows[-1][0, self.m - lo_last])
        if not with_trace:
            return distance, "", rows
        values = [r[0].tolist() for r in rows]
        trace: list[str] = []
        i, j = self.n, self.m
        while i > 0 or j > 0:
            op = self._op(values, hyp, i, j)
            if op == _UNDEF:
                raise RuntimeError(f"TER trace left the beam at row {i}, column {j}")
            trace.append(_OP_CHARS[op])
            if op in (_SUB, _NOP):
                i, j = i - 1, j - 1
            elif op == _INS:
                j -= 1
            else:
                i -= 1
        return distance, "".join(reversed(trace)), rows

    # -- one round of the shift search (sacrebleu's ``_shift``) ---------------------

    def shift(self, words_h: list[int], checked: int) -> tuple[int, list[int], int]:
        from sacrebleu.metrics import lib_ter

        perform_shift: Callable[[list[int], int, int, int], list[int]] = lib_ter._perform_shift  # type: ignore[assignment]
        pre_score, inv_trace, base_rows = self._full(words_h, with_trace=True)
        trace = lib_ter._flip_trace(inv_trace)
        align, ref_err, hyp_err = lib_ter.trace_to_alignment(trace)
        # The candidates in sacrebleu's order, and the row where each first differs.
        cands: list[tuple[int, int, int, list[int]]] = []  # (length, start_h, idx, words)
        for start_h, start_r, length in self.shifted_pairs(words_h):
            if sum(hyp_err[start_h : start_h + length]) == 0:
                continue
            if sum(ref_err[start_r : start_r + length]) == 0:
                continue
            if start_h <= align[start_r] < start_h + length:
                continue
            prev_idx = -1
            for offset in range(-1, length):
                if start_r + offset == -1:
                    idx = 0
                elif start_r + offset in align:
                    idx = align[start_r + offset] + 1
                else:
                    break
                if idx == prev_idx:
                    continue
                prev_idx = idx
                shifted = perform_shift(words_h, start_h, length, idx)
                cands.append((length, start_h, idx, shifted))
                checked += 1
            if checked >= lib_ter._MAX_SHIFT_CANDIDATES:
                break
        if not cands:
            return 0, words_h, checked
        distances = self._batch([c[3] for c in cands], [min(c[1], c[2]) for c in cands], base_rows)
        best = None
        for (length, start_h, idx, words), dist in zip(cands, distances, strict=True):
            candidate = (pre_score - int(dist), length, -start_h, -idx, words)
            if not best or candidate > best:
                best = candidate
        assert best is not None
        return best[0], best[4], checked

    def _batch(
        self, hyps: list[list[int]], starts: list[int], base_rows: list[np.ndarray]
    ) -> np.ndarray:
        """Edit distances of ``hyps``; hypothesis ``c`` equals the current one on its
        first ``starts[c]`` words, so its rows up to ``starts[c]`` are ``base_rows``."""
        np = self.np
        order = np.argsort(np.array(starts), kind="stable")
        words = np.array(hyps, dtype=np.int64)[order]
        first = np.array(starts)[order]
        prev = np.zeros((0, 1), dtype=np.int64)
        active = 0
        for i in range(1, self.n + 1):
            joining = int(np.searchsorted(first, i - 1, side="right")) - active
            if joining:
                seed = np.repeat(base_rows[i - 1], joining, axis=0)
                prev = seed if active == 0 else np.concatenate([prev, seed])
                active += joining
            prev = self._row(prev, i, words[:active, i - 1])
        lo_last = self.windows[self.n][0]
        out = np.empty(len(hyps), dtype=np.int64)
        out[order] = prev[:, self.m - lo_last]
        return out

"""Few-shot examples for prompting systems, drawn from other weeks of the dataset.

A week's examples are never shown to the system while that week is evaluated: shots
come only from other weeks, with the same task, languages and field where there are
enough (else the same task and languages), chosen by a stable hash of the example
ids so that a rerun asks the same questions (and hits the cache).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evalkit.dataset import Example


def _rank(anchor: str, candidate: str) -> str:
    return hashlib.sha256(f"{anchor}\0{candidate}".encode()).hexdigest()


def choose_shots(
    examples: Sequence[Example], n: int, pool: Sequence[Example] | None = None
) -> dict[str, tuple[tuple[str, str], ...]]:
    """``n`` (source, reference) shots per example id, none from the example's own week.

    Args:
        examples: The examples to prompt.
        n: Shots per example (0: none).
        pool: Where shots come from (default: ``examples``), e.g. the whole dataset.
    """
    if n <= 0:
        return {e.id: () for e in examples}
    pool = examples if pool is None else pool
    by_exact: dict[tuple[str, ...], list[Example]] = defaultdict(list)
    by_pair: dict[tuple[str, ...], list[Example]] = defaultdict(list)
    for c in pool:
        if c.source.strip() and c.reference.strip():
            by_exact[(c.task, c.src_lang, c.tgt_lang, c.field)].append(c)
            by_pair[(c.task, c.src_lang, c.tgt_lang)].append(c)
    shots: dict[str, tuple[tuple[str, str], ...]] = {}
    for e in examples:
        chosen: list[Example] = []
        for group in (
            by_exact[(e.task, e.src_lang, e.tgt_lang, e.field)],
            by_pair[(e.task, e.src_lang, e.tgt_lang)],
        ):
            others = [c for c in group if c.week != e.week and c not in chosen]
            others.sort(key=lambda c: _rank(e.id, c.id))
            chosen.extend(others[: n - len(chosen)])
            if len(chosen) >= n:
                break
        shots[e.id] = tuple((c.source, c.reference) for c in chosen)
    return shots

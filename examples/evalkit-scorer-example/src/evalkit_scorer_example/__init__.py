"""An example evalkit scorer plugin: exact match after whitespace normalization."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from evalkit.options import Option
from evalkit.scorers.base import Scorer

__version__ = "0.1.0"


class ExactMatchScorer(Scorer):
    """Share of hypotheses equal to their reference once whitespace is collapsed.

    Args:
        lang: Target language (unused: exact match needs no tokenizer).
        lowercase: Compare case-insensitively.
    """

    name: ClassVar[str] = "exact_match"
    stat_names: tuple[str, ...] = ("match", "count")  # type: ignore[assignment]
    # Checked by evalkit wherever options come from: evalkit.toml, --scorer-option, the API.
    declared_options: ClassVar[tuple[Option, ...] | None] = (
        Option("lowercase", bool, False, "compare case-insensitively"),
    )

    def __init__(self, *, lang: str, lowercase: bool = False):
        super().__init__(lang=lang, lowercase=lowercase)
        self.lowercase = lowercase

    def _norm(self, text: str) -> str:
        text = " ".join(text.split())
        return text.lower() if self.lowercase else text

    def segment_stats(self, *, hyps: Sequence[str], refs: Sequence[str]) -> np.ndarray:
        if len(hyps) != len(refs):
            raise ValueError(f"{len(hyps)} hypotheses but {len(refs)} references")
        rows = [
            (float(self._norm(h) == self._norm(r)), 1.0) for h, r in zip(hyps, refs, strict=True)
        ]
        return np.array(rows, dtype=np.float64).reshape(-1, 2)

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        t = np.atleast_2d(np.asarray(totals, dtype=np.float64))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(t[:, 1] > 0, t[:, 0] / t[:, 1], 0.0)

    def components(self, totals: np.ndarray) -> dict[str, float]:
        return {"matches": float(totals[0]), "segments": float(totals[1])}

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return self.scores_from_totals(stats)

    def signature(self) -> str:
        return f"exact_match|case:{'lc' if self.lowercase else 'mixed'}|version:{__version__}"

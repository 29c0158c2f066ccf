"""The scorer contract: segment statistics once, scores from summed statistics.

Following sacrebleu's ``Metric`` (``_extract_corpus_statistics`` /
``_compute_score_from_stats``), a scorer turns ``n`` segments into an ``(n, k)``
float matrix of *sufficient statistics* with :meth:`Scorer.stats`; a corpus score is
a function of the column sums (:meth:`Scorer.scores_from_totals`). Slices (per week,
pair, field) and bootstrap resamples only sum rows: the text is tokenized once.

Scorers whose corpus score is a mean of segment scores (ROUGE, neural metrics) keep
one statistic per component plus a count column, and divide.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Score:
    """A corpus score with everything needed to interpret and compare it.

    Attributes:
        metric: Scorer name (``bleu``, ``rougeL``...).
        score: The headline number (BLEU 0-100, ROUGE F1 0-1...).
        ci95: The 95% bootstrap confidence interval, or None when not computed.
        components: Every component (n-gram precisions, BP, P/R/F...).
        signature: How the number was computed (tokenizer, options, versions, seed).
        n: Number of segments.
    """

    metric: str
    score: float
    ci95: tuple[float, float] | None
    components: dict[str, float] = field(default_factory=dict)
    signature: str = ""
    n: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "score": self.score,
            "ci95": list(self.ci95) if self.ci95 is not None else None,
            "components": dict(self.components),
            "signature": self.signature,
            "n": self.n,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Score:
        ci = d.get("ci95")
        return cls(
            metric=d["metric"],
            score=float(d["score"]),
            ci95=(float(ci[0]), float(ci[1])) if ci else None,
            components={k: float(v) for k, v in (d.get("components") or {}).items()},
            signature=d.get("signature", ""),
            n=int(d.get("n", 0)),
        )


class Scorer(ABC):
    """A metric for one target language.

    Subclasses set :attr:`name` and :attr:`stat_names` and implement the abstract
    methods. Construct through :func:`evalkit.scorers.get_scorer`, which also caches
    instances so tokenizers are built once per process.

    Args:
        lang: The target language (``en``, ``ko``, ``ja``); picks the tokenizer.
        **options: Scorer-specific options (e.g. ``tokenize`` to override).
    """

    name: ClassVar[str] = ""
    #: Whether a higher score is better (TER: False).
    higher_is_better: ClassVar[bool] = True

    def __init__(self, *, lang: str, **options: Any):
        self.lang = lang
        self.options = options

    @property
    @abstractmethod
    def stat_names(self) -> tuple[str, ...]:
        """Names of the statistics columns."""

    @abstractmethod
    def stats(self, *, hyps: Sequence[str], refs: Sequence[str]) -> np.ndarray:
        """Segment statistics, shape ``(len(hyps), len(stat_names))``, dtype float64."""

    @abstractmethod
    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        """Corpus scores from summed statistics.

        Args:
            totals: Shape ``(r, k)``: ``r`` sets of column sums (one per resample or slice).

        Returns:
            Shape ``(r,)``.
        """

    @abstractmethod
    def components(self, totals: np.ndarray) -> dict[str, float]:
        """Every component of the corpus score for one vector of column sums ``(k,)``."""

    @abstractmethod
    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        """One score per segment (sentence-level), shape ``(n,)``."""

    @abstractmethod
    def signature(self) -> str:
        """The signature of this scorer's configuration (sacrebleu's where there is one)."""

    def score(
        self,
        *,
        hyps: Sequence[str],
        refs: Sequence[str],
        n_resamples: int = 1000,
        seed: int = 12345,
    ) -> Score:
        """Convenience: statistics, corpus score and bootstrap CI in one call."""
        from evalkit.stats import score_with_ci

        return score_with_ci(self, self.stats(hyps=hyps, refs=refs), n_resamples=n_resamples, seed=seed)

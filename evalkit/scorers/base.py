"""The scorer contract: segment statistics once, scores from summed statistics.

Following sacrebleu's ``Metric`` (``_extract_corpus_statistics`` /
``_compute_score_from_stats``), a scorer turns ``n`` segments into an ``(n, k)``
float matrix of *sufficient statistics* with :meth:`Scorer.segment_stats`; a corpus score is
a function of the column sums (:meth:`Scorer.scores_from_totals`). Slices (per week,
pair, field) and bootstrap resamples only sum rows: the text is tokenized once.

Scorers whose corpus score is a mean of segment scores (ROUGE, neural metrics) keep
one statistic per component plus a count column, and divide.

Several systems scored against the same references share the reference-side work:
:meth:`Scorer.prepare` tokenizes and counts the references once and :meth:`Scorer.segment_stats`
accepts its result in place of the reference strings.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from evalkit.options import Option
from evalkit.scores import Score

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Prepared", "Score", "Scorer", "SegmentRefs", "reference_tuples", "single_references"]

#: References of one segment: one string, or several (sacrebleu's multi-reference scoring).
SegmentRefs = str | Sequence[str]


def reference_tuples(refs: Sequence[SegmentRefs]) -> list[tuple[str, ...]]:
    """Each segment's references as a tuple of strings.

    Raises:
        ValueError: if a segment has no reference or a reference is not a string.
    """
    out: list[tuple[str, ...]] = []
    for i, r in enumerate(refs):
        t = (r,) if isinstance(r, str) else tuple(r)
        if not t or not all(isinstance(x, str) for x in t):
            raise ValueError(f"segment {i + 1}: references must be one or more strings, got {r!r}")
        out.append(t)
    return out


def single_references(refs: Sequence[SegmentRefs], scorer: str) -> list[str]:
    """Each segment's one reference, for scorers that take one.

    Raises:
        ConfigError: naming the scorer and the segment that has several.
    """
    from evalkit.errors import ConfigError

    out: list[str] = []
    for i, r in enumerate(refs):
        if isinstance(r, str):
            out.append(r)
        elif len(r) == 1 and isinstance(r[0], str):
            out.append(r[0])
        else:
            raise ConfigError(
                f"{scorer} takes one reference per segment; segment {i + 1} has {len(r)}"
            )
    return out


@dataclass(frozen=True, eq=False)
class Prepared:
    """References prepared by one scorer (see :meth:`Scorer.prepare`).

    Attributes:
        scorer: The scorer that prepared them; another scorer re-prepares the texts.
        texts: The references of each segment (a string, or a sequence of strings).
        data: Per-segment reference data, in the scorer's own format.
    """

    scorer: Scorer
    texts: Sequence[SegmentRefs]
    data: list[Any]

    def __len__(self) -> int:
        return len(self.texts)


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
    # What a reader of the score needs (see :mod:`evalkit.scorers.facts`).
    #: The name shown to people (``BLEU``); empty: :attr:`name`.
    label: ClassVar[str] = ""
    #: ``higher`` or ``lower`` is better, or ``target``: closer to :attr:`target` is better.
    direction: ClassVar[str] = "higher"
    #: The ideal value of a ``target`` metric (length ratio: 1.0).
    target: ClassVar[float | None] = None
    #: Default tolerance of the CI gate, in the metric's own units.
    max_drop: ClassVar[float] = 0.0
    #: Preference for ranking single segments in reports (lower first); None: never.
    segment_rank: ClassVar[int | None] = None
    #: Whether a higher score is better (TER: False); kept for plugins that set it.
    higher_is_better: ClassVar[bool] = True
    #: Whether :meth:`segment_stats` also needs the source segments (``srcs=``), as COMET does.
    needs_sources: ClassVar[bool] = False
    #: Whether statistics may be computed in a process pool. False for scorers that load
    #: a model: each worker would load its own copy.
    parallel: ClassVar[bool] = True
    #: Whether the scorer takes a ``tokenize`` option (a sacrebleu tokenizer name).
    tokenized: ClassVar[bool] = False
    #: Decimals worth printing in text output (0-100 scales: 2; 0-1 scales: 4).
    display_digits: ClassVar[int] = 4
    #: The options the constructor takes (see :mod:`evalkit.scorers.options`); None:
    #: checked against the constructor's signature (plugins written for 0.1).
    declared_options: ClassVar[tuple[Option, ...] | None] = None
    #: Whether :meth:`segment_stats` takes several references per segment.
    multi_reference: ClassVar[bool] = False

    def __init__(self, *, lang: str, **options: Any):
        from evalkit.scorers.options import validate_scorer_options

        self.lang = lang
        self.options = validate_scorer_options(type(self), options)

    @property
    @abstractmethod
    def stat_names(self) -> tuple[str, ...]:
        """Names of the statistics columns."""

    def prepare(self, refs: Sequence[SegmentRefs]) -> Any:
        """Reference-side work done once and reused for several systems.

        The result is accepted by :meth:`segment_stats` as ``refs``. The default does nothing
        and returns ``refs``; scorers that tokenize or count references override it.
        """
        return refs

    @abstractmethod
    def segment_stats(self, *, hyps: Sequence[str], refs: Sequence[SegmentRefs]) -> np.ndarray:
        """Segment statistics, shape ``(len(hyps), len(stat_names))``, dtype float64.

        ``refs`` holds each segment's reference (a string) or references (a sequence
        of strings, for the scorers that take several), or is the result of
        :meth:`prepare`.
        """

    def stats(self, **kwargs: Any) -> np.ndarray:
        """The evalkit 0.1 name of :meth:`segment_stats` (plugins may still define it)."""
        return self.segment_stats(**kwargs)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "stats" in cls.__dict__ and "segment_stats" not in cls.__dict__:
            cls.segment_stats = cls.__dict__["stats"]  # type: ignore[method-assign]

    @abstractmethod
    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        """Corpus scores from summed statistics.

        Args:
            totals: Shape ``(r, k)``: ``r`` sets of column sums (one per resample or slice).

        Returns:
            Shape ``(r,)``.
        """

    def score_from_totals(self, totals: np.ndarray) -> float:
        """The corpus score of one vector of column sums ``(k,)``.

        Scorers that must equal a reference implementation to the last digit override
        this with that implementation's scalar arithmetic; :meth:`scores_from_totals`
        is the vectorised form used for resamples.
        """
        import numpy as np

        return float(self.scores_from_totals(np.asarray(totals, dtype=np.float64)[None, :])[0])

    @abstractmethod
    def components(self, totals: np.ndarray) -> dict[str, float]:
        """Every component of the corpus score for one vector of column sums ``(k,)``."""

    @abstractmethod
    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        """One score per segment (sentence-level), shape ``(n,)``."""

    @abstractmethod
    def signature(self) -> str:
        """The signature of this scorer's configuration (sacrebleu's where there is one)."""

    def signature_for(self, totals: np.ndarray) -> str:
        """The signature of a score computed from ``totals`` (column sums).

        The same as :meth:`signature` unless something that changes numbers happened
        to these segments only (TER's bound on pathological outputs).
        """
        return self.signature()

    def score(
        self,
        *,
        hyps: Sequence[str],
        refs: Sequence[SegmentRefs],
        n_resamples: int = 1000,
        seed: int = 12345,
    ) -> Score:
        """Convenience: statistics, corpus score and bootstrap CI in one call."""
        from evalkit.intervals import score_with_ci

        return score_with_ci(
            self, self.segment_stats(hyps=hyps, refs=refs), n_resamples=n_resamples, seed=seed
        )

    def _prepared_data(self, refs: Sequence[SegmentRefs] | Prepared, n_hyps: int) -> list[Any]:
        """The per-segment reference data of ``refs``, preparing them if needed."""
        prepared = (
            refs
            if isinstance(refs, Prepared) and refs.scorer is self
            else self.prepare(refs.texts if isinstance(refs, Prepared) else refs)
        )
        if len(prepared.data) != n_hyps:
            raise ValueError(f"{n_hyps} hypotheses but {len(prepared.data)} references")
        return prepared.data  # type: ignore[no-any-return]

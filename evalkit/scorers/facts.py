"""What a reader of a score needs to know about its metric, declared on the scorer class.

Reports, comparisons and the CI gate read a metric's label, direction, display digits,
default gate tolerance and worst-segment ranking preference from here, and nowhere else.
Built-in and plugin scorers declare them as class attributes of their
:class:`~evalkit.scorers.base.Scorer` subclass; :func:`metric_facts` reads them by name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from evalkit.scorers.base import Scorer

Direction = Literal["higher", "lower", "target"]
DIRECTIONS: tuple[Direction, ...] = ("higher", "lower", "target")


@dataclass(frozen=True)
class MetricFacts:
    """How to read, show and gate one metric.

    Attributes:
        name: The scorer name (``bleu``).
        label: The name shown to people (``BLEU``).
        direction: ``higher`` or ``lower`` is better, or ``target``: closer to
            :attr:`target` is better (length ratio: 1).
        target: The ideal value when :attr:`direction` is ``target``, else None.
        digits: Decimals to show (0-100 scales: 2; 0-1 scales: 4).
        max_drop: Default tolerance of the CI gate, in the metric's own units.
        segment_rank: Preference for ranking single segments (lower ranks first);
            None when the metric does not rank single segments well.
        known: False when the scorer is not installed and the facts are guesses.
    """

    name: str
    label: str
    direction: Direction = "higher"
    target: float | None = None
    digits: int = 4
    max_drop: float = 0.0
    segment_rank: int | None = None
    known: bool = True

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"metric {self.name!r}: direction must be one of {DIRECTIONS}")
        if self.direction == "target" and (self.target is None or not math.isfinite(self.target)):
            raise ValueError(f"metric {self.name!r}: direction 'target' needs a finite target")
        if not math.isfinite(self.max_drop) or self.max_drop < 0:
            raise ValueError(f"metric {self.name!r}: max_drop must be finite and >= 0")

    @property
    def higher_is_better(self) -> bool:
        """True unless lower is better (a target metric counts as higher-better here)."""
        return self.direction != "lower"

    @property
    def better(self) -> str:
        """How to read the direction, for table headers: ``higher``, ``lower``, ``closer to 1``."""
        if self.direction == "target":
            return f"closer to {self.target:g}"
        return self.direction

    def improvement(self, baseline: float, candidate: float) -> float:
        """How much better ``candidate`` is than ``baseline`` (negative: worse)."""
        if self.direction == "lower":
            return baseline - candidate
        if self.direction == "target":
            assert self.target is not None
            return abs(baseline - self.target) - abs(candidate - self.target)
        return candidate - baseline

    @classmethod
    def of(cls, scorer: type[Scorer] | Scorer) -> MetricFacts:
        """The facts a scorer class declares."""
        klass = scorer if isinstance(scorer, type) else type(scorer)
        declared = str(getattr(klass, "direction", "higher"))
        if declared == "higher" and not getattr(klass, "higher_is_better", True):
            declared = "lower"  # a plugin written for 0.1 that only sets higher_is_better
        if declared not in DIRECTIONS:
            raise ValueError(f"scorer {klass.name!r}: direction must be one of {DIRECTIONS}")
        direction: Direction = (
            "lower" if declared == "lower" else ("target" if declared == "target" else "higher")
        )
        return cls(
            name=klass.name,
            label=getattr(klass, "label", "") or klass.name,
            direction=direction,
            target=getattr(klass, "target", None),
            digits=int(getattr(klass, "display_digits", 4)),
            max_drop=float(getattr(klass, "max_drop", 0.0)),
            segment_rank=getattr(klass, "segment_rank", None),
        )


def metric_facts(name: str) -> MetricFacts:
    """The facts of the scorer registered as ``name``.

    A metric whose scorer is not installed (a run made with a plugin that is gone) gets
    neutral facts with ``known=False``: its name as label, higher is better, no tolerance.
    """
    from evalkit.errors import EvalkitError
    from evalkit.scorers import SCORERS

    try:
        klass = SCORERS.get(name)
    except EvalkitError:
        return MetricFacts(name=name, label=name, known=False)
    return MetricFacts.of(klass)

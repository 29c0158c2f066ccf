"""What a judge said about one segment, kept on the segment beside its statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evalkit.judges.spans import ErrorSpan


@dataclass(frozen=True)
class Judgment:
    """One segment's judgment.

    Attributes:
        scores: The parsed score of each sample that could be parsed.
        spans: Error spans of the first parsed sample (MQM, ESA).
        unparsed: Samples whose answer could not be parsed after every retry.
        failed: Samples the judge could not be asked (errors, not parse failures).
        details: Judge-specific numbers (FineSurE: faithfulness, completeness).
    """

    scores: tuple[float, ...] = ()
    spans: tuple[ErrorSpan, ...] = ()
    unparsed: int = 0
    failed: int = 0
    details: dict[str, float] = field(default_factory=dict)

    @property
    def judged(self) -> bool:
        return bool(self.scores)

    @property
    def score(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "samples": list(self.scores),
            "spans": [s.to_dict() for s in self.spans],
            "unparsed": self.unparsed,
            "failed": self.failed,
            "details": dict(self.details),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Judgment:
        return cls(
            scores=tuple(float(x) for x in d.get("samples") or ()),
            spans=tuple(ErrorSpan.from_dict(s) for s in d.get("spans") or ()),
            unparsed=int(d.get("unparsed") or 0),
            failed=int(d.get("failed") or 0),
            details={k: float(v) for k, v in (d.get("details") or {}).items()},
        )

"""A corpus score with its interval, components and signature (a leaf record)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Score:
    """A corpus score with everything needed to interpret and compare it.

    Attributes:
        metric: Scorer name (``bleu``, ``rougeL``...).
        score: The headline number (BLEU 0-100, ROUGE F1 0-1...).
        ci95: The bootstrap confidence interval at :attr:`confidence` (95% unless
            asked otherwise), or None when not computed.
        components: Every component (n-gram precisions, BP, P/R/F...).
        signature: How the number was computed (tokenizer, options, versions, seed).
        n: Number of segments.
        confidence: The level of :attr:`ci95` (written to JSON only when not 0.95).
    """

    metric: str
    score: float
    ci95: tuple[float, float] | None
    components: dict[str, float] = field(default_factory=dict)
    signature: str = ""
    n: int = 0
    confidence: float = 0.95

    def to_dict(self) -> dict[str, Any]:
        out = {
            "metric": self.metric,
            "score": self.score,
            "ci95": list(self.ci95) if self.ci95 is not None else None,
            "components": dict(self.components),
            "signature": self.signature,
            "n": self.n,
        }
        if self.confidence != 0.95:
            out["confidence"] = self.confidence
        return out

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
            confidence=float(d.get("confidence", 0.95)),
        )

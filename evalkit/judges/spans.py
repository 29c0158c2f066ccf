"""Error spans: what a judge found wrong, where in the translation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorSpan:
    """One error a judge annotated.

    Attributes:
        severity: ``critical``, ``major`` or ``minor``.
        category: The judge's category, lower-cased (``accuracy/mistranslation``).
        text: The quoted part of the translation, or None when the judge quoted nothing.
        start: Character offset of :attr:`text` in the translation, or None when the quote
            cannot be found there (the judge paraphrased or quoted the source).
        end: End offset (exclusive), or None.
    """

    severity: str
    category: str
    text: str | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "category": self.category,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ErrorSpan:
        start, end = d.get("start"), d.get("end")
        return cls(
            severity=str(d["severity"]),
            category=str(d["category"]),
            text=d.get("text") if isinstance(d.get("text"), str) else None,
            start=start if isinstance(start, int) else None,
            end=end if isinstance(end, int) else None,
        )


def locate(quote: str | None, translation: str) -> tuple[int | None, int | None]:
    """Offsets of ``quote`` in ``translation``: exact first, then ignoring case."""
    if not quote:
        return None, None
    at = translation.find(quote)
    if at < 0:
        lowered = translation.lower()
        if len(lowered) == len(translation):  # lower() kept the offsets
            at = lowered.find(quote.lower())
    if at < 0:
        return None, None
    return at, at + len(quote)

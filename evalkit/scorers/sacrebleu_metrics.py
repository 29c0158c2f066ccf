"""The sacrebleu-based scorers: BLEU, chrF, chrF++ and TER (one module each)."""

from __future__ import annotations

from evalkit.scorers.bleu import BLEUScorer
from evalkit.scorers.chrf import CHRFPlusPlusScorer, CHRFScorer
from evalkit.scorers.ter import TERScorer

__all__ = ["BLEUScorer", "CHRFPlusPlusScorer", "CHRFScorer", "TERScorer"]

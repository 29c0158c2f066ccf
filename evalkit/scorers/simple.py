"""Cheap diagnostic scorers: length ratio and target-script share.

``length_ratio`` is hypothesis length over reference length in the BLEU tokenizer's
units (the corpus value equals sacrebleu's BLEU ``ratio``). ``target_script`` is the
share of a hypothesis's letters written in the target language's script: a
translator that answers in English, or copies its English input, scores near 0.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar

from evalkit.errors import ConfigError
from evalkit.options import Option
from evalkit.scorers._sig import evalkit_suffix, join
from evalkit.scorers.base import Prepared, Scorer, SegmentRefs, reference_tuples
from evalkit.scorers.tokenizers import default_tokenizer, get_tokenizer

if TYPE_CHECKING:
    import numpy as np


class LengthRatioScorer(Scorer):
    """Hypothesis/reference length in tokens (corpus: summed lengths, like BLEU's ratio).

    Args:
        lang: Target language; picks the tokenizer as BLEU does.
        tokenize: Override the tokenizer.
    """

    name: ClassVar[str] = "length_ratio"
    label: ClassVar[str] = "length ratio"
    direction: ClassVar[str] = "target"
    target: ClassVar[float | None] = 1.0
    max_drop: ClassVar[float] = 0.02
    tokenized: ClassVar[bool] = True
    stat_names: tuple[str, ...] = ("hyp_len", "ref_len")  # type: ignore[assignment]
    multi_reference: ClassVar[bool] = True
    declared_options: ClassVar[tuple[Option, ...] | None] = (
        Option("tokenize", str, None, "sacrebleu tokenizer (default: by language)"),
    )

    def __init__(self, *, lang: str, tokenize: str | None = None):
        self.tokenize = tokenize or default_tokenizer(lang)
        super().__init__(lang=lang, tokenize=self.tokenize)
        self._tok = get_tokenizer(self.tokenize)

    def _len(self, text: str) -> int:
        return len(self._tok(text.rstrip()).split())

    def prepare(self, refs: Sequence[SegmentRefs]) -> Prepared:
        return Prepared(self, refs, [[self._len(r) for r in rs] for rs in reference_tuples(refs)])

    def segment_stats(
        self, *, hyps: Sequence[str], refs: Sequence[SegmentRefs] | Prepared
    ) -> np.ndarray:
        import numpy as np

        rows = []
        for h, lens in zip(hyps, self._prepared_data(refs, len(hyps)), strict=True):
            n = self._len(h)  # the closest reference length, as BLEU's ratio
            rows.append([n, min(lens, key=lambda r: (abs(n - r), r))])
        return np.array(rows, dtype=np.float64).reshape(-1, 2)

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        import numpy as np

        t = np.atleast_2d(np.asarray(totals, dtype=np.float64))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(t[:, 1] > 0, t[:, 0] / t[:, 1], 0.0)

    def components(self, totals: np.ndarray) -> dict[str, float]:
        return {"hyp_len": float(totals[0]), "ref_len": float(totals[1])}

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return self.scores_from_totals(stats)

    def signature(self) -> str:
        return join(f"length_ratio|tok:{self._tok.signature()}", evalkit_suffix())  # type: ignore[attr-defined]


#: Unicode character-name prefixes of each language's script.
SCRIPTS: dict[str, tuple[str, ...]] = {
    "ko": ("HANGUL",),
    "ja": (
        "HIRAGANA",
        "KATAKANA",
        "CJK UNIFIED IDEOGRAPH",
        "CJK COMPATIBILITY IDEOGRAPH",
        "IDEOGRAPHIC ITERATION",
    ),
    "zh": ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"),
    "en": ("LATIN",),
}


@lru_cache(maxsize=2**14)
def _script_of(ch: str) -> str:
    return unicodedata.name(ch, "")


class TargetScriptScorer(Scorer):
    """Share of a hypothesis's letters in the target script (mean over segments).

    A hypothesis without letters scores 0. Components also give the share over all
    letters of the corpus.

    Args:
        lang: Target language: ``ko`` (Hangul), ``ja`` (kana and kanji), ``zh``, ``en`` (Latin).
    """

    name: ClassVar[str] = "target_script"
    label: ClassVar[str] = "target script"
    max_drop: ClassVar[float] = 0.01
    stat_names: tuple[str, ...] = ("share", "count", "script_letters", "letters")  # type: ignore[assignment]
    multi_reference: ClassVar[bool] = True
    declared_options: ClassVar[tuple[Option, ...] | None] = ()

    def __init__(self, *, lang: str):
        if lang not in SCRIPTS:
            raise ConfigError(
                f"target_script knows no script for language {lang!r}; known: {', '.join(SCRIPTS)}"
            )
        super().__init__(lang=lang)
        self._prefixes = SCRIPTS[lang]

    def _counts(self, text: str) -> tuple[int, int]:
        letters = in_script = 0
        for ch in text:
            if ch.isalpha():
                letters += 1
                if _script_of(ch).startswith(self._prefixes):
                    in_script += 1
        return in_script, letters

    def segment_stats(
        self, *, hyps: Sequence[str], refs: Sequence[SegmentRefs] | Prepared
    ) -> np.ndarray:
        import numpy as np

        if len(refs) != len(hyps):
            raise ValueError(f"{len(hyps)} hypotheses but {len(refs)} references")
        rows = []
        for hyp in hyps:
            k, n = self._counts(hyp)
            rows.append((k / n if n else 0.0, 1.0, k, n))
        return np.array(rows, dtype=np.float64).reshape(-1, 4)

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        import numpy as np

        t = np.atleast_2d(np.asarray(totals, dtype=np.float64))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(t[:, 1] > 0, t[:, 0] / t[:, 1], 0.0)

    def components(self, totals: np.ndarray) -> dict[str, float]:
        n = float(totals[1])
        return {
            "mean_share": float(totals[0]) / n if n else 0.0,
            "letter_share": float(totals[2]) / float(totals[3]) if totals[3] else 0.0,
            "letters": float(totals[3]),
        }

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return self.scores_from_totals(stats)

    def signature(self) -> str:
        return join(
            f"target_script|lang:{self.lang}|script:{'+'.join(self._prefixes).lower()}|agg:mean",
            evalkit_suffix(),
        )

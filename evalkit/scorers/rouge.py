"""ROUGE-1 to ROUGE-9, ROUGE-L and ROUGE-Lsum, equal to rouge-score, for en/ko/ja.

Per segment the statistics are rouge-score's precision, recall and F1 plus a count
column; a corpus score is the mean F1 (the mean of each component in
:meth:`components`), as rouge-score users aggregate. The arithmetic is rouge-score's
(``_score_ngrams``, ``_score_lcs``, ``_summary_level_lcs``); the tokens come from
:mod:`evalkit.scorers.rouge_tokens` and the LCS from :mod:`evalkit.scorers.lcs`.
Argument order is ours (``hyps``, ``refs``), not rouge-score's ``(target, prediction)``.
With several references a segment takes the reference with the best F1 (the first of
equals), as rouge-score's ``score_multi``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from importlib.metadata import version
from typing import TYPE_CHECKING, Any, ClassVar

from evalkit.options import Option
from evalkit.scorers._sig import evalkit_suffix, join
from evalkit.scorers.base import Prepared, Scorer, SegmentRefs, reference_tuples
from evalkit.scorers.bleu import clipped_matches
from evalkit.scorers.lcs import lcs_length, summary_lcs_hits
from evalkit.scorers.rouge_tokens import ROUGE_DEFAULT, default_rouge_tokenizer, get_rouge_tokenizer

if TYPE_CHECKING:
    import numpy as np


def fmeasure(precision: float, recall: float) -> float:
    """rouge-score's ``scoring.fmeasure``."""
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


def prf(hits: int, hyp_count: int, ref_count: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``hits`` out of ``hyp_count`` / ``ref_count``."""
    p = hits / hyp_count
    r = hits / ref_count
    return p, r, fmeasure(p, r)


class _Rouge(Scorer):
    """Shared machinery: tokenizer choice, P/R/F statistics, mean aggregation.

    Args:
        lang: Target language; MeCab morphemes for ``ko``/``ja``, rouge-score's
            tokenizer otherwise.
        tokenize: ``rouge`` (rouge-score's tokenizer) or a sacrebleu tokenizer name.
        use_stemmer: Porter stemming with rouge-score's tokenizer (default on).
    """

    tokenized: ClassVar[bool] = True
    max_drop: ClassVar[float] = 0.01
    stat_names: tuple[str, ...] = ("precision", "recall", "fmeasure", "count")  # type: ignore[assignment]
    multi_reference: ClassVar[bool] = True
    declared_options: ClassVar[tuple[Option, ...] | None] = (
        Option("tokenize", str, None, "rouge (rouge-score's) or a sacrebleu name"),
        Option("use_stemmer", bool, True, "Porter stemming (rouge tokenizer)"),
    )

    def __init__(self, *, lang: str, tokenize: str | None = None, use_stemmer: bool = True):
        self.tokenize = tokenize or default_rouge_tokenizer(lang)
        super().__init__(lang=lang, tokenize=self.tokenize, use_stemmer=use_stemmer)
        self._tok = get_rouge_tokenizer(self.tokenize, use_stemmer)

    def _ref_info(self, ref: str) -> Any:
        raise NotImplementedError

    def _segment(self, hyp: str, ref_info: Any) -> tuple[float, float, float]:
        raise NotImplementedError

    def prepare(self, refs: Sequence[SegmentRefs]) -> Prepared:
        data = [[self._ref_info(r) for r in rs] for rs in reference_tuples(refs)]
        return Prepared(self, refs, data)

    def segment_stats(
        self, *, hyps: Sequence[str], refs: Sequence[SegmentRefs] | Prepared
    ) -> np.ndarray:
        import numpy as np

        ref_data = self._prepared_data(refs, len(hyps))
        out = np.ones((len(hyps), 4), dtype=np.float64)
        for row, (hyp, infos) in enumerate(zip(hyps, ref_data, strict=True)):
            best = self._segment(hyp, infos[0])
            for info in infos[1:]:  # score_multi: np.argmax over F1, the first of equals
                cur = self._segment(hyp, info)
                if cur[2] > best[2]:
                    best = cur
            out[row, :3] = best
        return out

    def component_scores(self, totals: np.ndarray) -> dict[str, np.ndarray]:
        """Mean precision, recall and F1 of each row of summed statistics ``(r, 4)``."""
        import numpy as np

        t = np.atleast_2d(np.asarray(totals, dtype=np.float64))
        with np.errstate(divide="ignore", invalid="ignore"):
            return {
                k: np.where(t[:, 3] > 0, t[:, i] / t[:, 3], 0.0)
                for i, k in enumerate(("precision", "recall", "fmeasure"))
            }

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        import numpy as np

        t = np.atleast_2d(np.asarray(totals, dtype=np.float64))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(t[:, 3] > 0, t[:, 2] / t[:, 3], 0.0)

    def components(self, totals: np.ndarray) -> dict[str, float]:
        n = float(totals[3])
        names = ("precision", "recall", "fmeasure")
        return {k: (float(totals[i]) / n if n > 0 else 0.0) for i, k in enumerate(names)}

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return self.scores_from_totals(stats)

    def signature(self) -> str:
        return join(
            f"{self.name}",
            self._tok.signature(),
            "agg:mean-f",
            f"rouge-score:{version('rouge-score')}",
            evalkit_suffix(),
        )


class RougeNScorer(_Rouge):
    """ROUGE-N: n-gram overlap (rouge-score's ``_score_ngrams``).

    ROUGE-1 needs no Counter: the clipped overlap of two multisets is the longest
    common subsequence of their sorted elements, which rapidfuzz computes in C.
    """

    n: ClassVar[int] = 1

    def _counts(self, text: str) -> tuple[Any, int]:
        ids = self._tok.ids(text)
        n = self.n
        if n == 1:
            return sorted(ids), len(ids)
        return Counter(zip(*[ids[i:] for i in range(n)], strict=False)), max(len(ids) - n + 1, 0)

    def _ref_info(self, ref: str) -> Any:
        return self._counts(ref)

    def _segment(self, hyp: str, ref_info: Any) -> tuple[float, float, float]:
        ref_grams, ref_count = ref_info
        hyp_grams, hyp_count = self._counts(hyp)
        if self.n == 1:
            hits = lcs_length(hyp_grams, ref_grams)
        else:
            hits = clipped_matches(hyp_grams, ref_grams)
        return prf(hits, max(hyp_count, 1), max(ref_count, 1))


class Rouge1Scorer(RougeNScorer):
    """ROUGE-1 F1 (unigrams)."""

    name: ClassVar[str] = "rouge1"
    label: ClassVar[str] = "ROUGE-1"
    segment_rank: ClassVar[int | None] = 70
    n: ClassVar[int] = 1


class Rouge2Scorer(RougeNScorer):
    """ROUGE-2 F1 (bigrams)."""

    name: ClassVar[str] = "rouge2"
    label: ClassVar[str] = "ROUGE-2"
    segment_rank: ClassVar[int | None] = 80
    n: ClassVar[int] = 2


def _rouge_n_class(n: int) -> type[RougeNScorer]:
    return type(
        f"Rouge{n}Scorer",
        (RougeNScorer,),
        {
            "__doc__": f"ROUGE-{n} F1 ({n}-grams).",
            "__module__": __name__,
            "name": f"rouge{n}",
            "label": f"ROUGE-{n}",
            "segment_rank": None,
            "n": n,
        },
    )


Rouge3Scorer = _rouge_n_class(3)
Rouge4Scorer = _rouge_n_class(4)
Rouge5Scorer = _rouge_n_class(5)
Rouge6Scorer = _rouge_n_class(6)
Rouge7Scorer = _rouge_n_class(7)
Rouge8Scorer = _rouge_n_class(8)
Rouge9Scorer = _rouge_n_class(9)


class RougeLScorer(_Rouge):
    """ROUGE-L F1: longest common subsequence of the whole texts (``_score_lcs``)."""

    name: ClassVar[str] = "rougeL"
    label: ClassVar[str] = "ROUGE-L"
    segment_rank: ClassVar[int | None] = 50

    def _ref_info(self, ref: str) -> Any:
        return self._tok.ids(ref)

    def _segment(self, hyp: str, ref_info: Any) -> tuple[float, float, float]:
        hyp_ids = self._tok.ids(hyp)
        if not ref_info or not hyp_ids:
            return 0.0, 0.0, 0.0
        return prf(lcs_length(ref_info, hyp_ids), len(hyp_ids), len(ref_info))


class RougeLsumScorer(_Rouge):
    """ROUGE-Lsum F1: union LCS over newline-separated sentences (``_summary_level_lcs``)."""

    name: ClassVar[str] = "rougeLsum"
    label: ClassVar[str] = "ROUGE-Lsum"
    segment_rank: ClassVar[int | None] = 60

    def _sentences(self, text: str) -> list[tuple[int, ...]]:
        return [self._tok.ids(s) for s in text.split("\n") if len(s)]

    def _ref_info(self, ref: str) -> Any:
        return self._sentences(ref)

    def _segment(self, hyp: str, ref_info: Any) -> tuple[float, float, float]:
        ref_sents, hyp_sents = ref_info, self._sentences(hyp)
        if not ref_sents or not hyp_sents:
            return 0.0, 0.0, 0.0
        m = sum(map(len, ref_sents))
        n = sum(map(len, hyp_sents))
        if not n or not m:
            return 0.0, 0.0, 0.0
        return prf(summary_lcs_hits(ref_sents, hyp_sents), n, m)


__all__ = [
    "ROUGE_DEFAULT",
    "Rouge1Scorer",
    "Rouge2Scorer",
    "Rouge3Scorer",
    "Rouge4Scorer",
    "Rouge5Scorer",
    "Rouge6Scorer",
    "Rouge7Scorer",
    "Rouge8Scorer",
    "Rouge9Scorer",
    "RougeLScorer",
    "RougeLsumScorer",
    "RougeNScorer",
]

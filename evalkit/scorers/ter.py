"""TER with sacrebleu's Tercom re-implementation, equal to sacrebleu on every output.

Korean and Japanese are segmented before TER: by default the text is first split
into morphemes by the same MeCab tokenizer BLEU uses (``pretok:`` in the signature),
then given to sacrebleu's Tercom tokenizer. ``asian_support`` replaces MeCab: the raw
text goes to Tercom with sacrebleu's own CJK handling, so ``normalized`` +
``asian_support`` equals ``sacrebleu --ter-normalized --ter-asian-support`` on the raw
text (it splits CJK ideographs and kana into characters and leaves Hangul words whole).

The shift search is sacrebleu's, with the edit distances of each round of candidate
shifts computed together in numpy (:mod:`evalkit.scorers.ter_search`: same numbers,
several times faster), on every segment, repeated words and looping outputs
included. Only outputs past :func:`evalkit.scorers.degenerate.ter_search_bounded`
(more than 20 times the reference's words and more than 1,000 words) skip it: the
plain edit distance, an upper bound of TER, is used, the third statistic counts such
segments, and the signature says ``bound:noshift-N`` when N of the scored segments hit it.

With several references, a segment's edits are the fewest against any reference and
its reference length is their mean length, as sacrebleu.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from evalkit.options import Option
from evalkit.scorers import degenerate
from evalkit.scorers._sig import evalkit_suffix, join
from evalkit.scorers.base import Prepared, Scorer, SegmentRefs, reference_tuples
from evalkit.scorers.tokenizers import get_tokenizer

if TYPE_CHECKING:
    import numpy as np

_PRETOKENIZE = {"ko": "ko-mecab", "ja": "ja-mecab"}


class TERScorer(Scorer):
    """Translation edit rate (sacrebleu), 0-100, lower is better.

    Args:
        lang: Target language; Korean and Japanese are MeCab-segmented first.
        tokenize: Tokenizer applied before Tercom's (``none`` for English, and for any
            language with ``asian_support``, by default).
        normalized: Tercom normalization.
        no_punct: Remove punctuation.
        asian_support: Tercom's CJK handling instead of MeCab (acts with ``normalized``
            or ``no_punct``, as in sacrebleu).
        case_sensitive: Keep case.
        degenerate_shifts: Run the shift search past the bound too (no bound at all).
    """

    name: ClassVar[str] = "ter"
    label: ClassVar[str] = "TER"
    direction: ClassVar[str] = "lower"
    max_drop: ClassVar[float] = 1.0
    segment_rank: ClassVar[int | None] = 100
    higher_is_better: ClassVar[bool] = False  # kept: read by plugins written for 0.1
    tokenized: ClassVar[bool] = True
    display_digits: ClassVar[int] = 2
    stat_names: tuple[str, ...] = ("edits", "ref_len", "noshift")  # type: ignore[assignment]
    multi_reference: ClassVar[bool] = True
    declared_options: ClassVar[tuple[Option, ...] | None] = (
        Option("tokenize", str, None, "pre-tokenizer (default: MeCab for ko/ja)"),
        Option("normalized", bool, False, "Tercom normalization"),
        Option("no_punct", bool, False, "remove punctuation"),
        Option("asian_support", bool, False, "sacrebleu's CJK handling, no MeCab"),
        Option("case_sensitive", bool, False, "keep case"),
        Option("degenerate_shifts", bool, False, "no bound on the shift search"),
    )

    def __init__(
        self,
        *,
        lang: str,
        tokenize: str | None = None,
        normalized: bool = False,
        no_punct: bool = False,
        asian_support: bool = False,
        case_sensitive: bool = False,
        degenerate_shifts: bool = False,
    ):
        from sacrebleu.tokenizers.tokenizer_ter import TercomTokenizer

        self.tokenize = tokenize or ("none" if asian_support else _PRETOKENIZE.get(lang, "none"))
        super().__init__(
            lang=lang,
            tokenize=self.tokenize,
            normalized=normalized,
            no_punct=no_punct,
            asian_support=asian_support,
            case_sensitive=case_sensitive,
            degenerate_shifts=degenerate_shifts,
        )
        self.normalized, self.no_punct = normalized, no_punct
        self.asian_support, self.case_sensitive = asian_support, case_sensitive
        self.degenerate_shifts = degenerate_shifts
        self._pretok = None if self.tokenize == "none" else get_tokenizer(self.tokenize)
        self._tercom = TercomTokenizer(
            normalized=normalized,
            no_punct=no_punct,
            asian_support=asian_support,
            case_sensitive=case_sensitive,
        )

    def words(self, text: str) -> list[str]:
        """The words TER aligns for ``text``."""
        text = text.rstrip()
        if self._pretok is not None:
            text = self._pretok(text)
        return self._tercom(text.rstrip()).split()  # type: ignore[no-any-return]

    def prepare(self, refs: Sequence[SegmentRefs]) -> Prepared:
        data = [[self.words(ref) for ref in rs] for rs in reference_tuples(refs)]
        return Prepared(self, refs, data)

    def segment_stats(
        self, *, hyps: Sequence[str], refs: Sequence[SegmentRefs] | Prepared
    ) -> np.ndarray:
        import numpy as np
        from sacrebleu.metrics.lib_ter import BeamEditDistance

        from evalkit.scorers.ter_search import translation_edit_rate

        ref_data = self._prepared_data(refs, len(hyps))
        out = np.zeros((len(hyps), 3), dtype=np.float64)
        for row, (hyp, per_ref) in enumerate(zip(hyps, ref_data, strict=True)):
            hyp_words = self.words(hyp)
            best, ref_total, bounded = int(1e16), 0, 0
            for ref_words in per_ref:
                if not self.degenerate_shifts and degenerate.ter_search_bounded(
                    len(hyp_words), len(ref_words)
                ):
                    edits, _ = BeamEditDistance(ref_words)(hyp_words)
                    ref_len, bounded = len(ref_words), 1
                else:
                    edits, ref_len = translation_edit_rate(hyp_words, ref_words)
                ref_total += ref_len
                best = min(best, edits)
            out[row] = (best, ref_total / len(per_ref), bounded)
        return out

    def score_from_totals(self, totals: np.ndarray) -> float:
        from sacrebleu.metrics.ter import TER

        # _compute_score_from_stats does not use the instance; skip building a tokenizer.
        return float(TER._compute_score_from_stats(None, [totals[0], totals[1]]).score)  # type: ignore[arg-type]

    def bootstrap_score(self, totals: np.ndarray) -> Any:
        """sacrebleu's score of one bootstrap resample: its float32 column sums, as is.

        The value keeps sacrebleu's type (float32 here): the bootstrap mean and interval
        are computed in that precision, as sacrebleu computes them.
        """
        from sacrebleu.metrics.ter import TER

        return TER._compute_score_from_stats(None, totals[:2]).score  # type: ignore[arg-type]

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        import numpy as np

        t = np.atleast_2d(np.asarray(totals, dtype=np.float64))
        edits, ref_len = t[:, 0], t[:, 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(ref_len > 0, edits / ref_len, np.where(edits > 0, 1.0, 0.0))
        return 100 * rate

    def components(self, totals: np.ndarray) -> dict[str, float]:
        return {
            "edits": float(totals[0]),
            "ref_len": float(totals[1]),
            "noshift_segments": float(totals[2]),
        }

    def signature_for(self, totals: np.ndarray) -> str:
        """:meth:`signature`, with ``bound:noshift-N`` when N segments hit the bound."""
        n = int(totals[2]) if len(totals) > 2 else 0
        sig = self.signature()
        if not n:
            return sig
        head, _, tail = sig.rpartition("|evalkit:")
        return join(head, f"bound:noshift-{n}", f"evalkit:{tail}")

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return self.scores_from_totals(stats)

    def signature(self) -> str:
        from sacrebleu.metrics.ter import TERSignature

        sig = TERSignature(
            {
                "num_refs": 1,
                "case_sensitive": self.case_sensitive,
                "tokenizer_signature": "tercom",
                "normalized": self.normalized,
                "no_punct": self.no_punct,
                "asian_support": self.asian_support,
            }
        )
        pretok = f"pretok:{self._pretok.signature()}" if self._pretok is not None else ""  # type: ignore[attr-defined]
        return join(sig.format(), pretok, evalkit_suffix())

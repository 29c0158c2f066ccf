"""BLEU with sacrebleu's statistics, tokenizers and arithmetic.

Segment statistics are sacrebleu's ``[hyp_len, ref_len, correct_1..4, total_1..4]``
(``BLEU._extract_corpus_statistics``), computed with faster n-gram counting. With
several references a segment's n-gram counts are clipped by the highest count in any
reference and its ``ref_len`` is the reference length closest to the hypothesis's
(sacrebleu's ``_get_closest_ref_len``), a per-segment statistic like the others. The
corpus score comes from sacrebleu's own ``BLEU.compute_bleu``, so it equals the
``sacrebleu`` command line to the last digit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any, ClassVar

from evalkit.errors import ConfigError
from evalkit.option_checks import at_least
from evalkit.options import Option
from evalkit.scorers._sig import evalkit_suffix, join
from evalkit.scorers.base import Prepared, Scorer, SegmentRefs, reference_tuples
from evalkit.scorers.tokenizers import default_tokenizer, get_tokenizer

if TYPE_CHECKING:
    import numpy as np

SMOOTH_METHODS = {"none": None, "floor": 0.1, "add-k": 1, "exp": None}
_LOG_ZERO = -9999999999.0  # sacrebleu.utils.my_log(0)


def word_ngrams(tokens: list[str], max_order: int) -> Counter[Any]:
    """Counts of all 1..max_order-grams of ``tokens`` in one Counter.

    Unigrams are keyed by the token, longer n-grams by tuples, so a key's order is
    ``len(key)`` for tuples and 1 otherwise. Tokens hold no spaces, so this is the
    same counting as sacrebleu's ``extract_all_word_ngrams``, with one Counter
    built from C-level iterators instead of a list of sliced tuples.
    """
    shifted = [tokens[i:] for i in range(max_order)]
    return Counter(
        chain(tokens, *(zip(*shifted[:n], strict=False) for n in range(2, max_order + 1)))
    )


def matches_by_order(hyp: Counter[Any], ref: Counter[Any], max_order: int) -> list[int]:
    """Clipped n-gram matches per order for two :func:`word_ngrams` Counters."""
    correct = [0] * max_order
    for gram in hyp.keys() & ref.keys():
        a, b = hyp[gram], ref[gram]
        correct[len(gram) - 1 if type(gram) is tuple else 0] += a if a < b else b
    return correct


def clipped_matches(hyp: Counter[Any], ref: Counter[Any]) -> int:
    """Sum over shared n-grams of ``min(hyp count, ref count)`` (iterated in C)."""
    common = hyp.keys() & ref.keys()
    return sum(map(min, map(hyp.__getitem__, common), map(ref.__getitem__, common)))


class BLEUScorer(Scorer):
    """Corpus BLEU (sacrebleu), tokenizer by target language.

    Args:
        lang: Target language; picks ``ko-mecab`` / ``ja-mecab`` / ``13a``.
        tokenize: Override the tokenizer (any sacrebleu tokenizer name).
        lowercase: Lowercase before tokenizing.
        smooth_method: ``exp`` (default), ``floor``, ``add-k`` or ``none``.
        smooth_value: Value for ``floor`` / ``add-k``.
        max_ngram_order: Highest n-gram order (4).
        effective_order: Corpus BLEU over the n-gram orders that have matches only
            (sacrebleu's ``effective_order``; sentence BLEU always uses it).
    """

    name: ClassVar[str] = "bleu"
    label: ClassVar[str] = "BLEU"
    max_drop: ClassVar[float] = 1.0
    segment_rank: ClassVar[int | None] = 90
    tokenized: ClassVar[bool] = True
    display_digits: ClassVar[int] = 2
    multi_reference: ClassVar[bool] = True
    declared_options: ClassVar[tuple[Option, ...] | None] = (
        Option("tokenize", str, None, "sacrebleu tokenizer (default: by language)"),
        Option("lowercase", bool, False, "lowercase before tokenizing"),
        Option("smooth_method", str, "exp", "smoothing", choices=tuple(sorted(SMOOTH_METHODS))),
        Option("smooth_value", float, None, "floor / add-k value", check=at_least(0)),
        Option("max_ngram_order", int, 4, "highest n-gram order", check=at_least(1)),
        Option("effective_order", bool, False, "corpus BLEU with effective order"),
    )

    def __init__(
        self,
        *,
        lang: str,
        tokenize: str | None = None,
        lowercase: bool = False,
        smooth_method: str = "exp",
        smooth_value: float | None = None,
        max_ngram_order: int = 4,
        effective_order: bool = False,
    ):
        if smooth_method not in SMOOTH_METHODS:
            raise ConfigError(
                f"unknown BLEU smooth_method {smooth_method!r}; known: {', '.join(SMOOTH_METHODS)}"
            )
        if max_ngram_order < 1:
            raise ConfigError(f"BLEU max_ngram_order must be >= 1, got {max_ngram_order}")
        self.effective_order = effective_order
        self.tokenize = tokenize or default_tokenizer(lang)
        super().__init__(
            lang=lang,
            tokenize=self.tokenize,
            lowercase=lowercase,
            smooth_method=smooth_method,
            smooth_value=smooth_value,
            max_ngram_order=max_ngram_order,
            effective_order=effective_order,
        )
        self.lowercase = lowercase
        self.smooth_method = smooth_method
        self.smooth_value = smooth_value
        self.order = max_ngram_order
        self._tok = get_tokenizer(self.tokenize)

    @property
    def stat_names(self) -> tuple[str, ...]:
        n = range(1, self.order + 1)
        return ("hyp_len", "ref_len", *(f"correct_{i}" for i in n), *(f"total_{i}" for i in n))

    def tokens(self, text: str) -> list[str]:
        """The tokens BLEU counts for ``text`` (sacrebleu's ``_preprocess_segment``)."""
        if self.lowercase:
            text = text.lower()
        return self._tok(text.rstrip()).split()  # type: ignore[no-any-return]

    def prepare(self, refs: Sequence[SegmentRefs]) -> Prepared:
        data: list[tuple[Counter[Any], list[int]]] = []
        for segment_refs in reference_tuples(refs):
            merged: Counter[Any] | None = None
            lens = []
            for ref in segment_refs:
                toks = self.tokens(ref)
                lens.append(len(toks))
                grams = word_ngrams(toks, self.order)
                if merged is None:
                    merged = grams
                else:  # sacrebleu clips by the highest count in any reference
                    for gram, count in grams.items():
                        if count > merged[gram]:
                            merged[gram] = count
            assert merged is not None
            data.append((merged, lens))
        return Prepared(self, refs, data)

    def segment_stats(
        self, *, hyps: Sequence[str], refs: Sequence[SegmentRefs] | Prepared
    ) -> np.ndarray:
        import numpy as np

        ref_data = self._prepared_data(refs, len(hyps))
        order = self.order
        out = np.zeros((len(hyps), 2 + 2 * order), dtype=np.float64)
        for row, (hyp, (ref_ngrams, ref_lens)) in enumerate(zip(hyps, ref_data, strict=True)):
            toks = self.tokens(hyp)
            n_tok = len(toks)
            # sacrebleu's _get_closest_ref_len: the closest length, the shorter on a tie
            ref_len = min(ref_lens, key=lambda r: (abs(n_tok - r), r))
            vals = [n_tok, ref_len]
            vals += matches_by_order(word_ngrams(toks, order), ref_ngrams, order)
            vals += [max(n_tok - n, 0) for n in range(order)]
            out[row] = vals
        return out

    def _compute(self, totals: Sequence[float], effective_order: bool) -> Any:
        from sacrebleu.metrics.bleu import BLEU

        o = self.order
        t = [int(x) for x in totals]
        return BLEU.compute_bleu(
            correct=t[2 : 2 + o],
            total=t[2 + o : 2 + 2 * o],
            sys_len=t[0],
            ref_len=t[1],
            smooth_method=self.smooth_method,
            smooth_value=self.smooth_value,
            effective_order=effective_order,
            max_ngram_order=o,
        )

    def score_from_totals(self, totals: np.ndarray) -> float:
        return float(self._compute(list(totals), effective_order=self.effective_order).score)

    def bootstrap_score(self, totals: np.ndarray) -> Any:
        """sacrebleu's score of one bootstrap resample: its float32 column sums, as is."""
        from sacrebleu.metrics.bleu import BLEU

        o = self.order
        return BLEU.compute_bleu(
            correct=totals[2 : 2 + o].copy(),
            total=totals[2 + o : 2 + 2 * o].copy(),
            sys_len=int(totals[0]),
            ref_len=int(totals[1]),
            smooth_method=self.smooth_method,
            smooth_value=self.smooth_value,
            effective_order=bool(getattr(self, "effective_order", False)),
            max_ngram_order=o,
        ).score

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        import numpy as np

        t = np.atleast_2d(np.asarray(totals, dtype=np.float64))
        o = self.order
        sys_len, ref_len = t[:, 0], t[:, 1]
        correct, total = t[:, 2 : 2 + o].copy(), t[:, 2 + o :].copy()
        with np.errstate(divide="ignore", invalid="ignore"):
            bp = np.where(
                sys_len < ref_len, np.where(sys_len > 0, np.exp(1 - ref_len / sys_len), 0.0), 1.0
            )
            any_correct = (correct != 0).any(axis=1)
            default = SMOOTH_METHODS[self.smooth_method]
            sv = float(self.smooth_value if self.smooth_value is not None else default or 0)
            if self.smooth_method == "add-k":
                correct[:, 1:] += sv
                total[:, 1:] += sv
            alive = np.ones(len(t), dtype=bool)
            smooth = np.ones(len(t))
            log_sum = np.zeros(len(t))
            n_alive = np.zeros(len(t))
            for n in range(o):
                alive &= total[:, n] != 0
                n_alive += alive
                zero = correct[:, n] == 0
                prec = 100.0 * correct[:, n] / total[:, n]
                if self.smooth_method == "exp":
                    smooth = np.where(alive & zero, smooth * 2, smooth)
                    prec = np.where(zero, 100.0 / (smooth * total[:, n]), prec)
                elif self.smooth_method == "floor":
                    prec = np.where(zero, 100.0 * sv / total[:, n], prec)
                prec = np.where(alive, prec, 0.0)
                log_term = np.where(prec > 0, np.log(np.where(prec > 0, prec, 1.0)), _LOG_ZERO)
                # with effective order, the orders after the first empty one are left out
                log_sum += np.where(alive, log_term, 0.0) if self.effective_order else log_term
            eff = np.where(n_alive > 0, n_alive, o) if self.effective_order else o
            score = bp * np.exp(log_sum / eff)
        return np.where(any_correct, score, 0.0)

    def components(self, totals: np.ndarray) -> dict[str, float]:
        """Precisions, BP, ratio, lengths, and the n-gram matches and totals per order."""
        s = self._compute(list(totals), effective_order=self.effective_order)
        out = {f"precision_{i + 1}": float(p) for i, p in enumerate(s.precisions)}
        out.update(
            bp=float(s.bp), ratio=float(s.ratio), hyp_len=float(s.sys_len), ref_len=float(s.ref_len)
        )
        o = self.order
        for i in range(o):
            out[f"correct_{i + 1}"] = float(totals[2 + i])
            out[f"total_{i + 1}"] = float(totals[2 + o + i])
        return out

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        """Sentence BLEU with effective order, as sacrebleu's ``sentence_score``."""
        import numpy as np

        return np.array(
            [self._compute(list(row), effective_order=True).score for row in stats],
            dtype=np.float64,
        )

    def _signature(self, effective_order: bool) -> str:
        from sacrebleu.metrics.bleu import BLEUSignature

        sig = BLEUSignature(
            {
                "num_refs": 1,
                "lowercase": self.lowercase,
                "effective_order": effective_order,
                "tokenizer_signature": self._tok.signature(),  # type: ignore[attr-defined]
                "smooth_method": self.smooth_method,
                "smooth_value": self.smooth_value,
            }
        )
        return join(sig.format(), evalkit_suffix())

    def signature(self) -> str:
        return self._signature(effective_order=self.effective_order)

    def sentence_signature(self) -> str:
        """The signature of :meth:`segment_scores` (effective order on)."""
        return self._signature(effective_order=True)

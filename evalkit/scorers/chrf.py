"""chrF and chrF++ with sacrebleu's statistics and arithmetic.

Statistics per segment are sacrebleu's ``[hyp, ref, match]`` triple per n-gram order
(character orders 1..6, then word orders for chrF++); with several references, those
of the reference with the best segment chrF (the first of equals), as sacrebleu;
the score is sacrebleu's ``CHRF._compute_f_score`` (and an elementwise vectorised copy
of it, identical in floating point, for resamples).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from evalkit.errors import ConfigError
from evalkit.option_checks import at_least
from evalkit.options import Option
from evalkit.scorers._sig import evalkit_suffix, join
from evalkit.scorers.base import Prepared, Scorer, SegmentRefs, reference_tuples
from evalkit.scorers.bleu import clipped_matches

if TYPE_CHECKING:
    import numpy as np

_EPS = 1e-16


def char_ngrams(text: str, max_order: int, whitespace: bool) -> list[Counter[str]]:
    """Character n-gram counts of orders 1..max_order (sacrebleu's ``extract_all_char_ngrams``)."""
    if not whitespace:
        text = "".join(text.split())
    out: list[Counter[str]] = [Counter(text)] if max_order >= 1 else []
    for n in range(2, max_order + 1):
        out.append(Counter([text[i : i + n] for i in range(len(text) - n + 1)]))
    return out


class CHRFScorer(Scorer):
    """chrF (character n-gram F-score, beta 2), language-independent.

    Args:
        lang: Target language (chrF needs no tokenizer; recorded only).
        char_order: Character n-gram order (6).
        word_order: Word n-gram order (0; 2 is chrF++).
        beta: Recall weight (2).
        lowercase: Case-insensitive.
        whitespace: Keep whitespace in character n-grams.
        eps_smoothing: chrF++.py-style epsilon smoothing instead of effective order.
    """

    name: ClassVar[str] = "chrf"
    label: ClassVar[str] = "chrF"
    max_drop: ClassVar[float] = 1.0
    segment_rank: ClassVar[int | None] = 30
    display_digits: ClassVar[int] = 2
    default_word_order: ClassVar[int] = 0
    multi_reference: ClassVar[bool] = True
    declared_options: ClassVar[tuple[Option, ...] | None] = (
        Option("char_order", int, 6, "character n-gram order", check=at_least(1)),
        Option("word_order", int, None, "word n-gram order (chrF++: 2)", check=at_least(0)),
        Option("beta", int, 2, "recall weight", check=at_least(0)),
        Option("lowercase", bool, False, "case-insensitive"),
        Option("whitespace", bool, False, "keep whitespace in character n-grams"),
        Option("eps_smoothing", bool, False, "chrF++.py epsilon smoothing"),
    )

    def __init__(
        self,
        *,
        lang: str,
        char_order: int = 6,
        word_order: int | None = None,
        beta: int = 2,
        lowercase: bool = False,
        whitespace: bool = False,
        eps_smoothing: bool = False,
    ):
        from sacrebleu.metrics.chrf import CHRF

        word_order = self.default_word_order if word_order is None else word_order
        if char_order < 1 or word_order < 0 or char_order + word_order < 1:
            raise ConfigError(
                "chrF orders must be char_order >= 1, word_order >= 0;"
                f" got {char_order}, {word_order}"
            )
        super().__init__(
            lang=lang,
            char_order=char_order,
            word_order=word_order,
            beta=beta,
            lowercase=lowercase,
            whitespace=whitespace,
            eps_smoothing=eps_smoothing,
        )
        self._metric = CHRF(
            char_order=char_order,
            word_order=word_order,
            beta=beta,
            lowercase=lowercase,
            whitespace=whitespace,
            eps_smoothing=eps_smoothing,
        )
        self.char_order, self.word_order, self.beta = char_order, word_order, beta
        self.lowercase, self.whitespace, self.eps_smoothing = lowercase, whitespace, eps_smoothing

    @property
    def stat_names(self) -> tuple[str, ...]:
        orders = [f"c{n}" for n in range(1, self.char_order + 1)]
        orders += [f"w{n}" for n in range(1, self.word_order + 1)]
        return tuple(f"{kind}_{o}" for o in orders for kind in ("hyp", "ref", "match"))

    def _ngrams(self, text: str) -> list[Counter[Any]]:
        if self.lowercase:
            text = text.lower()
        grams: list[Counter[Any]] = list(char_ngrams(text, self.char_order, self.whitespace))
        if self.word_order:
            # Words hold no spaces, so tuple keys count exactly like sacrebleu's joined strings.
            words = self._metric._remove_punctuation(text)
            grams.append(Counter(words))
            for n in range(2, self.word_order + 1):
                grams.append(Counter(zip(*[words[i:] for i in range(n)], strict=False)))
        return grams

    def prepare(self, refs: Sequence[SegmentRefs]) -> Prepared:
        data = [
            [[(g, sum(g.values())) for g in self._ngrams(ref)] for ref in segment_refs]
            for segment_refs in reference_tuples(refs)
        ]
        return Prepared(self, refs, data)

    def segment_stats(
        self, *, hyps: Sequence[str], refs: Sequence[SegmentRefs] | Prepared
    ) -> np.ndarray:
        import numpy as np

        ref_data = self._prepared_data(refs, len(hyps))
        out = np.zeros((len(hyps), 3 * (self.char_order + self.word_order)), dtype=np.float64)
        for row, (hyp, per_ref) in enumerate(zip(hyps, ref_data, strict=True)):
            hyp_grams = self._ngrams(hyp)
            best: list[int] = []
            best_f = -1.0
            for ref_grams in per_ref:
                vals: list[int] = []
                for h, (r, r_total) in zip(hyp_grams, ref_grams, strict=True):
                    vals += [sum(h.values()) if r else 0, r_total, clipped_matches(h, r)]
                f = self._metric._compute_f_score(vals) if len(per_ref) > 1 else 0.0
                if f > best_f:
                    best, best_f = vals, f
            out[row] = best
        return out

    def score_from_totals(self, totals: np.ndarray) -> float:
        return float(self._metric._compute_f_score([int(x) for x in totals]))

    def bootstrap_score(self, totals: np.ndarray) -> Any:
        """sacrebleu's score of one bootstrap resample: its float32 column sums, as is.

        The value keeps sacrebleu's type (float32 here): the bootstrap mean and interval
        are computed in that precision, as sacrebleu computes them.
        """
        return self._metric._compute_f_score(totals)  # type: ignore[arg-type]

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        import numpy as np

        t = np.atleast_2d(np.asarray(totals, dtype=np.float64))
        factor = self.beta**2
        r = len(t)
        score, avg_prec, avg_rec = np.zeros(r), np.zeros(r), np.zeros(r)
        eff = np.zeros(r)
        with np.errstate(divide="ignore", invalid="ignore"):
            for i in range(self.char_order + self.word_order):
                n_hyp, n_ref, n_match = t[:, 3 * i], t[:, 3 * i + 1], t[:, 3 * i + 2]
                prec = np.where(n_hyp > 0, n_match / n_hyp, _EPS)
                rec = np.where(n_ref > 0, n_match / n_ref, _EPS)
                denom = factor * prec + rec
                score += np.where(denom > 0, (1 + factor) * prec * rec / denom, _EPS)
                both = (n_hyp > 0) & (n_ref > 0)
                avg_prec += np.where(both, prec, 0.0)
                avg_rec += np.where(both, rec, 0.0)
                eff += both
            if self.eps_smoothing:
                return 100 * score / (self.char_order + self.word_order)
            avg_prec = np.where(eff > 0, avg_prec / eff, 0.0)
            avg_rec = np.where(eff > 0, avg_rec / eff, 0.0)
            f = (1 + factor) * avg_prec * avg_rec
            f = f / ((factor * avg_prec) + avg_rec)
            return np.where(avg_prec + avg_rec != 0, 100 * f, 0.0)

    def components(self, totals: np.ndarray) -> dict[str, float]:
        out: dict[str, float] = {}
        names = [f"char{n}" for n in range(1, self.char_order + 1)]
        names += [f"word{n}" for n in range(1, self.word_order + 1)]
        for i, name in enumerate(names):
            n_hyp, n_ref, n_match = (float(x) for x in totals[3 * i : 3 * i + 3])
            out[f"{name}_precision"] = n_match / n_hyp if n_hyp > 0 else 0.0
            out[f"{name}_recall"] = n_match / n_ref if n_ref > 0 else 0.0
            out[f"{name}_hyp"], out[f"{name}_ref"], out[f"{name}_match"] = n_hyp, n_ref, n_match
        return out

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        import numpy as np

        return np.array([self.score_from_totals(row) for row in stats], dtype=np.float64)

    def signature(self) -> str:
        from sacrebleu.metrics.chrf import CHRFSignature

        sig = CHRFSignature(
            {
                "num_refs": 1,
                "lowercase": self.lowercase,
                "eps_smoothing": self.eps_smoothing,
                "char_order": self.char_order,
                "word_order": self.word_order,
                "whitespace": self.whitespace,
            }
        )
        return join(sig.format(), evalkit_suffix())


class CHRFPlusPlusScorer(CHRFScorer):
    """chrF++: chrF with word unigrams and bigrams (``word_order=2``)."""

    name: ClassVar[str] = "chrf++"
    label: ClassVar[str] = "chrF++"
    segment_rank: ClassVar[int | None] = 20
    default_word_order: ClassVar[int] = 2

"""Scorers: the registry and the cached constructor.

Built-ins are registered here by ``"module:Class"`` string; third-party scorers come
from the entry-point group ``evalkit.scorers`` (a :class:`~evalkit.scorers.base.Scorer`
subclass per entry point).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from evalkit.errors import ConfigError
from evalkit.registry import Registry
from evalkit.scorers.base import Prepared, Score, Scorer

__all__ = ["SCORERS", "Prepared", "Score", "Scorer", "get_scorer", "recorded_options"]

SCORERS: Registry[type[Scorer]] = Registry("scorer", "evalkit.scorers")
for _name, _spec in {
    "bleu": "evalkit.scorers.sacrebleu_metrics:BLEUScorer",
    "chrf": "evalkit.scorers.sacrebleu_metrics:CHRFScorer",
    "chrf++": "evalkit.scorers.sacrebleu_metrics:CHRFPlusPlusScorer",
    "ter": "evalkit.scorers.sacrebleu_metrics:TERScorer",
    "rouge1": "evalkit.scorers.rouge:Rouge1Scorer",
    "rouge2": "evalkit.scorers.rouge:Rouge2Scorer",
    "rougeL": "evalkit.scorers.rouge:RougeLScorer",
    "rougeLsum": "evalkit.scorers.rouge:RougeLsumScorer",
    "length_ratio": "evalkit.scorers.simple:LengthRatioScorer",
    "target_script": "evalkit.scorers.simple:TargetScriptScorer",
    "bertscore": "evalkit.scorers.neural.bertscore:BERTScoreScorer",
    "comet": "evalkit.scorers.neural.comet:CometScorer",
    "gemba-mqm": "evalkit.judges.scorers:GembaMQMScorer",
    "gemba-esa": "evalkit.judges.scorers:GembaESAScorer",
    "summary-judge": "evalkit.judges.scorers:SummaryJudgeScorer",
}.items():
    SCORERS.register(_name, _spec)


def get_scorer(name: str, *, lang: str, **options: Any) -> Scorer:
    """A scorer instance for ``lang``; instances (and their tokenizers) are cached.

    Raises:
        UnknownNameError: listing the known scorers.
        ConfigError: if the scorer does not take one of ``options``.
    """
    return _cached(name, lang, tuple(sorted(options.items())))


@cache
def _cached(name: str, lang: str, options: tuple[tuple[str, Any], ...]) -> Scorer:
    import inspect

    cls = SCORERS.get(name)
    try:
        inspect.signature(cls).bind(lang=lang, **dict(options))
    except TypeError as exc:
        raise ConfigError(
            f"scorer {name!r} does not accept options {dict(options)!r}: {exc}"
        ) from exc
    return cls(lang=lang, **dict(options))


def recorded_options(meta: dict[str, Any], metric: str) -> dict[str, Any]:
    """The scorer options a run (or baseline) recorded for ``metric`` in its selection.

    Runs record the ``[scorers.NAME]`` tables of ``evalkit.toml`` they were made with, so
    whoever reads the run again builds the same scorer (a neural metric's model, say).
    """
    selection = meta.get("selection") or {}
    return dict((selection.get("scorer_options") or {}).get(metric) or {})

"""Scorers: the registry and the cached constructor.

Built-ins are registered here by ``"module:Class"`` string; third-party scorers come
from the entry-point group ``evalkit.scorers`` (a :class:`~evalkit.scorers.base.Scorer`
subclass per entry point).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from evalkit.registry import Registry
from evalkit.scorers.base import Prepared, Score, Scorer

__all__ = ["SCORERS", "Prepared", "Score", "Scorer", "get_scorer"]

SCORERS: Registry[type[Scorer]] = Registry("scorer", "evalkit.scorers")
for _name, _spec in {
    "bleu": "evalkit.scorers.sacrebleu_metrics:BLEUScorer",
    "chrf": "evalkit.scorers.sacrebleu_metrics:CHRFScorer",
    "chrf++": "evalkit.scorers.sacrebleu_metrics:CHRFPlusPlusScorer",
    "ter": "evalkit.scorers.sacrebleu_metrics:TERScorer",
    "rouge1": "evalkit.scorers.rouge:Rouge1Scorer",
    "rouge2": "evalkit.scorers.rouge:Rouge2Scorer",
    **{f"rouge{n}": f"evalkit.scorers.rouge:Rouge{n}Scorer" for n in range(3, 10)},
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

    ``lang`` is read as :func:`~evalkit.scorers.tokenizers.canonical_lang` reads it
    (``KO`` is ``ko``); options are checked against the scorer's declarations
    (:mod:`evalkit.scorers.options`) and the cache is keyed by their serialized form.

    Raises:
        UnknownNameError: listing the known scorers.
        ConfigError: an unknown option (with a did-you-mean), a value of the wrong type,
            NaN or infinity, or an unknown language for a scorer it picks a tokenizer for.
    """
    from evalkit.options import serialize
    from evalkit.scorers.options import validate_scorer_options
    from evalkit.scorers.tokenizers import canonical_lang

    cls = SCORERS.get(name)
    checked = validate_scorer_options(cls, options)
    free = bool(checked.get("tokenize")) or not getattr(cls, "tokenized", False)
    lang = canonical_lang(lang, tokenizer_given=free)
    return _cached(name, lang, serialize(checked, where=f"scorer {name!r}"))


@cache
def _cached(name: str, lang: str, options_json: str) -> Scorer:
    import json

    return SCORERS.get(name)(lang=lang, **json.loads(options_json))


def parse_scorer_option(text: str) -> tuple[str, str, Any]:
    """``METRIC.KEY=VALUE`` as ``(metric, key, value)``.

    VALUE is read by :func:`evalkit.options.parse_text` for the declared option (a string
    option keeps it as written); it is checked later, with the other options of the metric.

    Raises:
        ConfigError: naming ``text`` when it is not of that form.
    """
    from evalkit.errors import UnknownNameError
    from evalkit.options import parse_assignment, parse_text

    metric, key, raw = parse_assignment(text)
    opt = None
    try:
        declared = getattr(SCORERS.get(metric), "declared_options", None) or ()
        opt = next((o for o in declared if o.name == key), None)
    except UnknownNameError:
        pass  # an unknown metric is reported where the metrics are checked
    return metric, key, parse_text(opt, raw)

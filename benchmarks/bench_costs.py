"""What evalkit costs per 1,000 segments: each metric's statistics, per target language,
and the bootstrap CIs.

Segments are digest texts of every field (titles, summaries, abstracts) with their
perturbed hypotheses; tokenizer caches are emptied before each measurement. TER is
measured once, on fewer segments: its shift search (sacrebleu's, in pure Python) costs
seconds on a long Korean segment split into morphemes.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from benchmarks import corpora
from benchmarks.harness import Context, clear_tokenizer_caches, measure

METRICS = ("bleu", "chrf", "ter", "rouge1", "rouge2", "rougeL", "length_ratio", "target_script")
LANGS = ("en", "ko", "ja")


def run(ctx: Context) -> dict[str, Any]:
    import numpy as np

    from evalkit.resample import resampled_totals_many
    from evalkit.scorers import get_scorer

    n = ctx.size(600, 30)
    n_ter = ctx.size(12, 3)
    per_1000: dict[str, dict[str, float]] = {}
    chars: dict[str, float] = {}
    timings: dict[str, Any] = {}
    for lang in LANGS:
        examples = corpora.references(n, langs=(lang,), tasks=("translation",))
        refs = [e.reference for e in examples]
        hyps = corpora.hypotheses(examples, 0.12, corpora.SEED + 11)
        chars[lang] = round(float(np.mean([len(r) for r in refs])), 1)
        # Tokenizers are built (and MeCab loaded) before anything is measured.
        scorers = {m: get_scorer(m, lang=lang) for m in METRICS}
        fns = {
            m: partial(scorer.segment_stats, hyps=hyps, refs=refs)
            for m, scorer in scorers.items()
            if m != "ter"
        }
        t = measure(fns, repeat=ctx.repeat, setup=clear_tokenizer_caches)
        # TER once, without a warm-up: seconds per long Korean segment.
        ter = scorers["ter"]
        t |= measure(
            {"ter": partial(ter.stats, hyps=hyps[:n_ter], refs=refs[:n_ter])},
            repeat=1,
            warmup=0,
            setup=clear_tokenizer_caches,
        )
        per_1000[lang] = {
            m: round(t[m].median / (n_ter if m == "ter" else n) * 1000, 3) for m in METRICS
        }
        timings[lang] = {m: tm.to_dict() for m, tm in t.items()}
    # Bootstrap: 1,000 resamples of 1,000 segments for the 7 metrics of a translation run.
    stats = [np.random.default_rng(0).random((1000, k)) for k in (10, 18, 3, 4, 4, 2, 2)]
    boot = measure(
        {"bootstrap": lambda: resampled_totals_many(stats, n_resamples=1000, seed=12345)},
        repeat=ctx.repeat,
    )
    return {
        "title": "seconds per 1,000 segments, per metric and target language",
        "size": {"segments": n, "segments_ter": n_ter, "mean_reference_chars": chars},
        "timings": timings | {"bootstrap": boot["bootstrap"].to_dict()},
        "figures": {
            "seconds_per_1000": per_1000,
            "bootstrap_1000_resamples_per_1000_segments_s": round(boot["bootstrap"].median, 4),
        },
        "checks": [],
        "notes": [
            "Statistics only (what `Scorer.segment_stats` costs, tokenization included); a corpus"
            " score or a slice is then a sum of rows.",
        ],
    }

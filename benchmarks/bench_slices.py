"""A run's scoring (statistics, slice scores, bootstrap CIs of every slice) against one
pass of sacrebleu statistics over the same segments.

The run is synthetic: Korean and Japanese translation segments (titles, summaries,
abstracts) spread over twelve weeks, scored with BLEU and chrF the way ``evalkit run``
scores them (:func:`evalkit.segments.build_segments`, then
:func:`evalkit.slices.score_slices` with 1,000 resamples). The sacrebleu pass is
``BLEU._extract_corpus_statistics`` and ``CHRF._extract_corpus_statistics`` per target
language. Every slice score is checked against sacrebleu's score of the summed
sacrebleu statistics.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from benchmarks import corpora
from benchmarks.harness import Context, check, clear_tokenizer_caches, measure

METRICS = ("bleu", "chrf")
WEEKS = 12


def run(ctx: Context) -> dict[str, Any]:
    from sacrebleu.metrics import BLEU, CHRF

    from evalkit.scorers.tokenizers import default_tokenizer
    from evalkit.segments import build_segments
    from evalkit.slices import group_by_slice, score_slices

    n = ctx.size(2000, 150)
    examples = [
        replace(e, week=f"2024-W{1 + i % WEEKS:02d}")
        for i, e in enumerate(corpora.references(n, langs=("ko", "ja")))
    ]
    hyps = corpora.hypotheses(examples, 0.12, corpora.SEED + 7)
    outputs = {e.id: h for e, h in zip(examples, hyps, strict=True)}
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(examples):
        by_lang[e.tgt_lang].append(i)
    ref_metrics = {
        lang: {"bleu": BLEU(tokenize=default_tokenizer(lang)), "chrf": CHRF()} for lang in by_lang
    }
    phases: dict[str, list[float]] = defaultdict(list)
    state: dict[str, Any] = {}

    def sacrebleu_pass() -> None:
        out: dict[str, dict[str, list[Any]]] = {}
        for lang, idx in by_lang.items():
            h = [hyps[i] for i in idx]
            r = [examples[i].reference for i in idx]
            out[lang] = {
                m: metric._extract_corpus_statistics(h, [r])
                for m, metric in ref_metrics[lang].items()
            }
        state["sacrebleu"] = out

    def evalkit_scoring() -> None:
        import time

        t0 = time.perf_counter()
        segments, _ = build_segments(examples, outputs, {"translation": METRICS})
        t1 = time.perf_counter()
        scores = score_slices(segments, METRICS, n_resamples=1000, seed=12345)
        t2 = time.perf_counter()
        phases["statistics"].append(t1 - t0)
        phases["slices_and_cis"].append(t2 - t1)
        state["segments"], state["scores"] = segments, scores

    t = measure(
        {"sacrebleu": sacrebleu_pass, "evalkit": evalkit_scoring},
        repeat=ctx.repeat,
        setup=clear_tokenizer_caches,
    )

    # Exactness: the same statistics, and every slice score equal to sacrebleu's.
    segments, scores = state["segments"], state["scores"]
    ref_rows: dict[str, list[Any]] = {m: [None] * n for m in METRICS}
    for lang, idx in by_lang.items():
        for m in METRICS:
            for row, i in zip(state["sacrebleu"][lang][m], idx, strict=True):
                ref_rows[m][i] = row
    same_stats = all(
        tuple(float(x) for x in ref_rows[m][i]) == segments[i].stats[m]
        for m in METRICS
        for i in range(n)
    )
    mismatches = 0
    slices = group_by_slice(segments)
    by_key = {s.key: s for s in scores}
    for key, idx in slices.items():
        lang = key[2].split("-")[1]
        for m in METRICS:
            metric = ref_metrics[lang][m]
            totals = [sum(col) for col in zip(*(ref_rows[m][i] for i in idx), strict=True)]
            want = metric._compute_score_from_stats(totals).score
            mismatches += by_key[key + (m,)].score != want
    ratio = t["evalkit"].median / t["sacrebleu"].median
    median = sorted(phases["slices_and_cis"])[len(phases["slices_and_cis"]) // 2]
    return {
        "title": "scoring a run (statistics + every slice + 1,000-resample CIs)"
        " against one pass of sacrebleu statistics",
        "size": {
            "segments": n,
            "languages": sorted(by_lang),
            "weeks": WEEKS,
            "slices": len(slices),
            "metrics": list(METRICS),
            "resamples": 1000,
        },
        "timings": {name: tm.to_dict() for name, tm in t.items()},
        "figures": {
            "ratio": round(ratio, 3),
            "evalkit_statistics_s": round(
                sorted(phases["statistics"])[len(phases["statistics"]) // 2], 3
            ),
            "evalkit_slices_and_cis_s": round(median, 3),
            "slice_scores_differing_from_sacrebleu": int(mismatches),
            "statistics_identical": same_stats,
        },
        "checks": [
            check("evalkit run scoring / sacrebleu statistics pass", ratio, "<=", 1.3),
            check("slice scores differing from sacrebleu", mismatches, "<=", 0, ""),
            check("segment statistics identical to sacrebleu", float(same_stats), ">=", 1, "bool"),
        ],
        "notes": [
            "Both sides start with empty tokenizer caches; sacrebleu's metric objects are"
            " built outside the measurement, as evalkit's scorers are cached.",
            "evalkit's time includes segment scores (sentence BLEU/chrF) and the scores and"
            " CIs of every slice (weeks x pair x field, plus all weeks).",
        ],
    }

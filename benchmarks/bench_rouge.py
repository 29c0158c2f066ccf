"""ROUGE-1/2/L on Korean abstracts: evalkit against rouge-score on the same tokens.

rouge-score is given evalkit's MeCab tokens through its ``tokenizer`` argument (a
table lookup, so neither side tokenizes inside the measurement: evalkit's token ids
are computed beforehand too). The end-to-end figure, MeCab included on both sides
with empty caches, is reported beside it.
"""

from __future__ import annotations

from typing import Any

from benchmarks import corpora
from benchmarks.harness import Context, check, clear_tokenizer_caches, measure

TYPES = ("rouge1", "rouge2", "rougeL")


class _Lookup:
    """A rouge-score tokenizer that returns precomputed tokens."""

    def __init__(self, table: dict[str, list[str]]):
        self.table = table

    def tokenize(self, text: str) -> list[str]:
        return self.table[text]


class _Live:
    """A rouge-score tokenizer that runs evalkit's Korean ROUGE tokenizer (MeCab)."""

    def __init__(self, tok: Any):
        self.tok = tok

    def tokenize(self, text: str) -> list[str]:
        return list(self.tok.tokens(text))


def run(ctx: Context) -> dict[str, Any]:
    import numpy as np
    from rouge_score import rouge_scorer

    from evalkit.scorers import get_scorer
    from evalkit.scorers.rouge_tokens import get_rouge_tokenizer

    n = ctx.size(200, 12)
    examples = corpora.references(n, langs=("ko",), fields=("abstract",))
    refs = [e.reference for e in examples]
    hyps = corpora.hypotheses(examples, 0.1, corpora.SEED + 1)
    tok = get_rouge_tokenizer("ko-mecab")
    table = {t: list(tok.tokens(t)) for t in refs + hyps}
    scorers = [get_scorer(t, lang="ko") for t in TYPES]
    pairs = list(zip(hyps, refs, strict=True))

    def reference(tokenizer: Any) -> list[dict[str, Any]]:
        rs = rouge_scorer.RougeScorer(list(TYPES), tokenizer=tokenizer)
        return [rs.score(r, h) for h, r in pairs]  # rouge-score's order: (target, prediction)

    def evalkit() -> list[np.ndarray]:
        return [s.segment_stats(hyps=hyps, refs=refs) for s in scorers]

    def warm_ids() -> None:
        for t in refs + hyps:
            tok.ids(t)

    repeat = max(ctx.repeat, 3)
    given = measure(
        {
            "rouge_score": lambda: reference(_Lookup(table)),
            "evalkit": evalkit,
        },
        repeat=repeat,
        setup=warm_ids,
    )
    e2e = measure(
        {
            "rouge_score": lambda: reference(_Live(tok)),
            "evalkit": evalkit,
        },
        repeat=ctx.repeat,
        setup=clear_tokenizer_caches,
    )
    clear_tokenizer_caches()
    got = evalkit()
    want = reference(_Lookup(table))
    diff = 0.0
    for t, stats in zip(TYPES, got, strict=True):
        ref_prf = np.array([[w[t].precision, w[t].recall, w[t].fmeasure] for w in want])
        diff = max(diff, float(np.abs(stats[:, :3] - ref_prf).max()))
    ratio = given["rouge_score"].median / given["evalkit"].median
    ratio_e2e = e2e["rouge_score"].median / e2e["evalkit"].median
    n_tokens = float(np.mean([len(table[t]) for t in refs]))
    return {
        "title": "ROUGE-1/2/L on Korean abstracts against rouge-score on the same tokens",
        "size": {
            "pairs": n,
            "mean_reference_chars": round(float(np.mean([len(r) for r in refs])), 1),
            "mean_reference_tokens": round(n_tokens, 1),
        },
        "timings": {
            "rouge_score_given_tokens": given["rouge_score"].to_dict(),
            "evalkit_given_tokens": given["evalkit"].to_dict(),
            "rouge_score_with_mecab": e2e["rouge_score"].to_dict(),
            "evalkit_with_mecab": e2e["evalkit"].to_dict(),
        },
        "figures": {
            "speedup_given_tokens": round(ratio, 2),
            "speedup_with_mecab": round(ratio_e2e, 2),
            "rouge_score_ms_per_pair": round(given["rouge_score"].median / n * 1e3, 3),
            "evalkit_us_per_pair": round(given["evalkit"].median / n * 1e6, 1),
            "max_abs_difference": diff,
        },
        "checks": [
            check("speedup over rouge-score (same tokens)", ratio, ">=", 50),
            check("max |P/R/F difference| vs rouge-score", diff, "<=", 1e-9, unit=""),
        ],
        "notes": [
            "Both sides score the same MeCab morphemes; tokenization is outside the measured"
            " time (rouge-score reads tokens from a table, evalkit's token ids are computed"
            " beforehand).",
            f"With MeCab inside the measurement and empty caches the speedup is"
            f" {ratio_e2e:.1f}x: tokenizing a Korean abstract costs more than scoring it.",
        ],
    }

"""TER on abstracts: evalkit's batched shift search against sacrebleu's on the same words.

Both sides get the same word lists (MeCab morphemes for Korean and Japanese, Tercom's
tokens for English, as the TER scorer splits them), so only the search is measured.
The results must be identical, segment by segment.
"""

from __future__ import annotations

from typing import Any

from benchmarks import corpora
from benchmarks.harness import Context, check, measure

LANGS = ("en", "ko", "ja")


def run(ctx: Context) -> dict[str, Any]:
    from sacrebleu.metrics import lib_ter

    from evalkit.scorers import get_scorer
    from evalkit.scorers.ter_search import translation_edit_rate

    n = ctx.size(4, 2)
    pairs: dict[str, list[tuple[list[str], list[str]]]] = {}
    for lang in LANGS:
        examples = corpora.references(n, langs=(lang,), fields=("abstract",))
        hyps = corpora.hypotheses(examples, 0.12, corpora.SEED + 7)
        scorer = get_scorer("ter", lang=lang)
        pairs[lang] = [
            (scorer.words(h), scorer.words(e.reference))
            for h, e in zip(hyps, examples, strict=True)
        ]
    timings = {}
    figures: dict[str, Any] = {}
    differing = 0
    for lang in LANGS:
        got: dict[str, list[tuple[int, int]]] = {}

        def ours(lang: str = lang, got: dict[str, Any] = got) -> None:
            got["evalkit"] = [translation_edit_rate(h, r) for h, r in pairs[lang]]

        def theirs(lang: str = lang, got: dict[str, Any] = got) -> None:
            got["sacrebleu"] = [lib_ter.translation_edit_rate(h, r) for h, r in pairs[lang]]

        # Warm-up: one segment each (imports, first numpy calls); the measured rounds
        # then take every segment.
        h, r = min(pairs[lang], key=lambda p: len(p[1]))
        translation_edit_rate(h, r)
        lib_ter.translation_edit_rate(h, r)
        t = measure({"sacrebleu": theirs, "evalkit": ours}, repeat=ctx.repeat, warmup=0)
        differing += sum(a != b for a, b in zip(got["evalkit"], got["sacrebleu"], strict=True))
        timings[f"sacrebleu_{lang}"] = t["sacrebleu"].to_dict()
        timings[f"evalkit_{lang}"] = t["evalkit"].to_dict()
        figures[f"speedup_{lang}"] = round(t["sacrebleu"].median / t["evalkit"].median, 2)
        figures[f"evalkit_s_per_segment_{lang}"] = round(t["evalkit"].median / n, 4)
        figures[f"sacrebleu_s_per_segment_{lang}"] = round(t["sacrebleu"].median / n, 4)
        figures[f"mean_reference_words_{lang}"] = round(sum(len(r) for _, r in pairs[lang]) / n, 1)
    figures["segments_differing"] = differing
    return {
        "title": "TER on abstracts: evalkit's batched shift search against sacrebleu's",
        "size": {"segments_per_language": n, "langs": list(LANGS)},
        "timings": timings,
        "figures": figures,
        "checks": [
            check("TER results differing from sacrebleu", differing, "<=", 0, unit=""),
        ],
        "notes": [
            "Same words on both sides (the TER scorer's own splitting); only the shift search"
            " and its edit distances are timed. No speed target: a measured comparison.",
            "The warm-up is one segment per side and language (a whole round of sacrebleu's"
            " search on abstracts takes about a minute).",
        ],
    }

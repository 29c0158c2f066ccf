"""Score plain-text hypothesis files against a reference file (``evalkit score``).

Files are read exactly as the ``sacrebleu`` command line reads them (UTF-8, one
segment per ``\\n``-terminated line, trailing whitespace stripped), so the numbers
can be checked against it. Several systems share the reference-side work and the
bootstrap resamples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from evalkit.errors import ConfigError
from evalkit.scorers import parse_scorer_option
from evalkit.scorers.inputs import read_segments

if TYPE_CHECKING:
    from evalkit.scorers.base import SegmentRefs

__all__ = [
    "DEFAULT_METRICS",
    "format_text",
    "parse_scorer_option",
    "read_segments",
    "score_systems",
]

DEFAULT_METRICS = ("bleu", "chrf", "ter")


def scorer_options(
    metrics: Sequence[str],
    tokenize: str | None,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Options per metric: ``tokenize`` for the scorers that take one, then ``extra[metric]``."""
    from evalkit.scorers import SCORERS

    out: dict[str, dict[str, Any]] = {}
    for m in metrics:
        cls = SCORERS.get(m)
        out[m] = {"tokenize": tokenize} if tokenize and getattr(cls, "tokenized", False) else {}
        out[m].update((extra or {}).get(m, {}))
    return out


def score_systems(
    refs: Sequence[SegmentRefs],
    systems: Mapping[str, Sequence[str]],
    *,
    lang: str,
    metrics: Sequence[str] = DEFAULT_METRICS,
    tokenize: str | None = None,
    n_resamples: int = 1000,
    seed: int = 12345,
    sentence_level: bool = False,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    reference_name: str | Sequence[str] = "",
    srcs: Sequence[str] | None = None,
    source_name: str = "",
    options: Mapping[str, Mapping[str, Any]] | None = None,
    confidence: float = 0.95,
) -> dict[str, Any]:
    """Score several systems against one set of references; the JSON-able report.

    ``refs`` holds each segment's reference, or a sequence of references (BLEU, chrF,
    TER, ROUGE and the diagnostics take several; sacrebleu's and rouge-score's rules).
    ``srcs`` (the source segments) is needed by scorers that read them (COMET);
    ``options`` are scorer options per metric (e.g. ``{"comet": {"model": DIR}}``);
    ``confidence`` is the level of the bootstrap intervals.

    Returns:
        ``{"schema_version", "kind": "score", "lang", "reference", ["references"],
        ["source"], "n", "metrics", ["scorer_options"], "seed", "n_resamples",
        ["confidence"], "systems": {name: {"n", "scores": {metric: Score dict, with
        "component_ci" where the scorer has per-component intervals}, "degenerate":
        {"count", "segments": [{"line", "flags"}]}, ["segments"]}}}``.
    """
    from evalkit.intervals import score_with_ci
    from evalkit.io import SCHEMA_VERSION
    from evalkit.resample import resampled_totals_many
    from evalkit.scorers import get_scorer
    from evalkit.scorers._sig import with_num_refs
    from evalkit.scorers.base import reference_tuples
    from evalkit.scorers.batch import compute_stats

    metrics = list(dict.fromkeys(metrics))
    if not metrics:
        raise ConfigError("no metrics given")
    if not 0 < confidence < 1:
        raise ConfigError(f"confidence must be between 0 and 1, got {confidence}")
    unused = sorted(set(options or {}) - set(metrics))
    if unused:
        raise ConfigError(f"options given for {', '.join(unused)}, which is not scored")
    ref_tuples = reference_tuples(refs)
    counts = {len(t) for t in ref_tuples}
    extra = {m: dict(v) for m, v in (options or {}).items()}
    options = scorer_options(metrics, tokenize, extra)
    scorers = {m: get_scorer(m, lang=lang, **options[m]) for m in metrics}
    single = [m for m, sc in scorers.items() if not sc.multi_reference]
    if counts - {1} and single:
        raise ConfigError(f"{', '.join(single)} takes one reference per segment, not several")
    names = list(systems)
    stats = compute_stats(
        metrics,
        lang=lang,
        refs=refs,
        systems=[systems[s] for s in names],
        options=options,
        srcs=srcs,
        jobs=jobs,
        progress=progress,
    )
    flat = [(s, m) for s in range(len(names)) for m in metrics]
    resampled: list[Any] = [None] * len(flat)
    if refs and n_resamples > 0:
        resampled = resampled_totals_many(
            [stats[m][s] for s, m in flat], n_resamples=n_resamples, seed=seed
        )
    report_systems: dict[str, Any] = {}
    for (s, m), res in zip(flat, resampled, strict=True):
        entry = report_systems.setdefault(names[s], {"n": len(refs), "scores": {}})
        score = score_with_ci(
            scorers[m],
            stats[m][s],
            n_resamples=n_resamples,
            seed=seed,
            resampled=res,
            confidence=confidence,
        ).to_dict()
        score["signature"] = with_num_refs(score["signature"], counts)
        component_ci = _component_intervals(scorers[m], res, score["components"], confidence)
        if component_ci:
            score["component_ci"] = component_ci
        entry["scores"][m] = score
    for s, name in enumerate(names):
        entry = report_systems[name]
        bounded = stats["ter"][s][:, 2] if "ter" in stats else None
        entry["degenerate"] = _flagged(systems[name], ref_tuples, srcs, bounded)
        if sentence_level:
            per_metric = {m: scorers[m].segment_scores(stats[m][s]) for m in metrics}
            entry["segments"] = [
                {"line": i + 1, **{m: float(per_metric[m][i]) for m in metrics}}
                for i in range(len(refs))
            ]
    ref_names = [reference_name] if isinstance(reference_name, str) else list(reference_name)
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": "score",
        "lang": scorers[metrics[0]].lang,
        "reference": ref_names[0] if ref_names else "",
        **({"references": ref_names} if len(ref_names) > 1 else {}),
        **({"source": source_name} if srcs is not None else {}),
        "n": len(refs),
        "metrics": metrics,
        **({"scorer_options": extra} if extra else {}),
        "seed": seed,
        "n_resamples": n_resamples,
        **({"confidence": confidence} if confidence != 0.95 else {}),
        "systems": report_systems,
    }
    if sentence_level:
        report["segment_signatures"] = {
            m: with_num_refs(getattr(sc, "sentence_signature", sc.signature)(), counts)
            for m, sc in scorers.items()
        }
    return report


def _component_intervals(
    scorer: Any, resampled: Any, point: Mapping[str, float], confidence: float
) -> dict[str, list[float]]:
    """Bootstrap intervals of the components a scorer resamples (ROUGE P/R/F)."""
    from evalkit.resample import percentile_ci

    per = getattr(scorer, "component_scores", None)
    if per is None or resampled is None:
        return {}
    alpha = round(1 - confidence, 12)
    return {
        k: list(percentile_ci(v, point[k], alpha)) for k, v in per(resampled).items() if k in point
    }


def _flagged(
    hyps: Sequence[str],
    refs: Sequence[tuple[str, ...]],
    srcs: Sequence[str] | None,
    ter_bounded: Any,
) -> dict[str, Any]:
    """The ``degenerate`` block of one system: output flags, and TER's bound per segment."""
    from evalkit.scorers.degenerate import TER_NOSHIFT, output_flags

    segments = []
    for i, (h, r) in enumerate(zip(hyps, refs, strict=True)):
        f = output_flags(h, reference=r, source=srcs[i] if srcs is not None else None)
        if ter_bounded is not None and ter_bounded[i]:
            f.append(TER_NOSHIFT)
        if f:
            segments.append({"line": i + 1, "flags": f})
    return {"count": len(segments), "segments": segments}


def format_text(report: Mapping[str, Any]) -> str:
    """A human-readable table of a :func:`score_systems` report."""
    from evalkit.scorers import SCORERS

    digits = {m: getattr(SCORERS.get(m), "display_digits", 4) for m in report["metrics"]}
    lines: list[str] = []
    if "segment_signatures" in report:
        lines.append("\t".join(["system", "line", *report["metrics"], "flags"]))
        for name, entry in report["systems"].items():
            flagged = {d["line"]: ",".join(d["flags"]) for d in entry["degenerate"]["segments"]}
            for seg in entry["segments"]:
                vals = [f"{seg[m]:.{digits[m]}f}" for m in report["metrics"]]
                lines.append(
                    "\t".join([name, str(seg["line"]), *vals, flagged.get(seg["line"], "")])
                )
        lines.append("")
    width = max([len("system"), *(len(n) for n in report["systems"])])
    mwidth = max([len("metric"), *(len(m) for m in report["metrics"])])
    level = f"{100 * report.get('confidence', 0.95):g}% CI"
    lines.append(f"{'system':<{width}}  {'metric':<{mwidth}}  {'score':>10}  {level:<22}  n")
    signatures: dict[str, str] = {}
    for name, entry in report["systems"].items():
        for m, sc in entry["scores"].items():
            d = digits[m]
            ci = f"[{sc['ci95'][0]:.{d}f}, {sc['ci95'][1]:.{d}f}]" if sc["ci95"] else "-"
            lines.append(
                f"{name:<{width}}  {m:<{mwidth}}  {sc['score']:>10.{d}f}  {ci:<22}  {sc['n']}"
            )
            signatures.setdefault(m, sc["signature"])
    lines.append("")
    lines += [f"{m}: {sig}" for m, sig in signatures.items()]
    for m, sig in report.get("segment_signatures", {}).items():
        lines.append(f"{m} (segments): {sig}")
    for name, entry in report["systems"].items():
        deg = entry["degenerate"]
        if deg["count"]:
            shown = ", ".join(f"{d['line']} ({'+'.join(d['flags'])})" for d in deg["segments"][:10])
            more = f", ... {deg['count'] - 10} more" if deg["count"] > 10 else ""
            lines.append(f"degenerate hypotheses in {name}: {deg['count']}: lines {shown}{more}")
    return "\n".join(lines) + "\n"

"""Score plain-text hypothesis files against a reference file (``evalkit score``).

Files are read exactly as the ``sacrebleu`` command line reads them (UTF-8, one
segment per ``\\n``-terminated line, trailing whitespace stripped), so the numbers
can be checked against it. Several systems share the reference-side work and the
bootstrap resamples.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from evalkit.errors import ConfigError, DataError

DEFAULT_METRICS = ("bleu", "chrf", "ter")


def read_segments(path: str | Path) -> list[str]:
    """One segment per line of a UTF-8 file, trailing whitespace stripped (as sacrebleu).

    Raises:
        DataError: if the file cannot be read or a line is not UTF-8.
    """
    out: list[str] = []
    try:
        with open(path, "rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                try:
                    out.append(raw.decode("utf-8").rstrip())
                except UnicodeDecodeError as exc:
                    raise DataError(
                        f"not UTF-8 ({exc.reason} at byte {exc.start})", path=path, line=lineno
                    ) from exc
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", path=path) from exc
    return out


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


def parse_scorer_option(text: str) -> tuple[str, str, Any]:
    """``METRIC.KEY=VALUE`` as ``(metric, key, value)``; VALUE is read as a TOML value
    (``8``, ``true``, ``"a b"``) and otherwise kept as text (``/models/comet``).

    Raises:
        ConfigError: naming ``text`` when it is not of that form.
    """
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    name, sep, raw = text.partition("=")
    metric, dot, key = name.strip().partition(".")
    if not sep or not dot or not metric or not key:
        raise ConfigError(f"scorer option {text!r} is not METRIC.KEY=VALUE (e.g. comet.model=DIR)")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    return metric, key.strip(), value


def score_systems(
    refs: Sequence[str],
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
    reference_name: str = "",
    srcs: Sequence[str] | None = None,
    source_name: str = "",
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Score several systems against one reference; the JSON-able report.

    ``srcs`` (the source segments) is needed by scorers that read them (COMET);
    ``options`` are scorer options per metric (e.g. ``{"comet": {"model": DIR}}``).

    Returns:
        ``{"schema_version", "kind": "score", "lang", "reference", ["source"], "n",
        "metrics", ["scorer_options"], "seed", "n_resamples", "systems": {name: {"n",
        "scores": {metric: Score dict}, "degenerate": {"count", "segments": [{"line",
        "flags"}]}, ["segments"]}}}``.
    """
    from evalkit.io import SCHEMA_VERSION
    from evalkit.scorers import get_scorer
    from evalkit.scorers.batch import compute_stats
    from evalkit.scorers.degenerate import flags
    from evalkit.stats import resampled_totals_many, score_with_ci

    metrics = list(dict.fromkeys(metrics))
    if not metrics:
        raise ConfigError("no metrics given")
    unused = sorted(set(options or {}) - set(metrics))
    if unused:
        raise ConfigError(f"options given for {', '.join(unused)}, which is not scored")
    extra = {m: dict(v) for m, v in (options or {}).items()}
    options = scorer_options(metrics, tokenize, extra)
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
    scorers = {m: get_scorer(m, lang=lang, **options[m]) for m in metrics}
    flat = [(s, m) for s in range(len(names)) for m in metrics]
    resampled: list[Any] = [None] * len(flat)
    if refs and n_resamples > 0:
        resampled = resampled_totals_many(
            [stats[m][s] for s, m in flat], n_resamples=n_resamples, seed=seed
        )
    report_systems: dict[str, Any] = {}
    for (s, m), res in zip(flat, resampled, strict=True):
        name = names[s]
        entry = report_systems.setdefault(name, {"n": len(refs), "scores": {}})
        score = score_with_ci(
            scorers[m], stats[m][s], n_resamples=n_resamples, seed=seed, resampled=res
        )
        entry["scores"][m] = score.to_dict()
    for s, name in enumerate(names):
        entry = report_systems[name]
        flagged = [
            {"line": i + 1, "flags": f}
            for i, (h, r) in enumerate(zip(systems[name], refs, strict=True))
            if (f := flags(h, r))
        ]
        entry["degenerate"] = {"count": len(flagged), "segments": flagged}
        if sentence_level:
            per_metric = {m: scorers[m].segment_scores(stats[m][s]) for m in metrics}
            entry["segments"] = [
                {"line": i + 1, **{m: float(per_metric[m][i]) for m in metrics}}
                for i in range(len(refs))
            ]
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": "score",
        "lang": lang,
        "reference": reference_name,
        **({"source": source_name} if srcs is not None else {}),
        "n": len(refs),
        "metrics": metrics,
        **({"scorer_options": extra} if extra else {}),
        "seed": seed,
        "n_resamples": n_resamples,
        "systems": report_systems,
    }
    if sentence_level:
        report["segment_signatures"] = {
            m: getattr(sc, "sentence_signature", sc.signature)() for m, sc in scorers.items()
        }
    return report


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
    lines.append(f"{'system':<{width}}  {'metric':<{mwidth}}  {'score':>10}  {'95% CI':<22}  n")
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

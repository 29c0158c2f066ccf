"""``evalkit score -i BASE SYS... --paired-bs | --paired-ar``: paired tests as sacrebleu's.

The first hypothesis file is the baseline; every other system is compared with it on
every metric by :func:`evalkit.paired.paired_test`, whose numbers equal sacrebleu's
``--paired-bs`` / ``--paired-ar``. The text output is sacrebleu's table (score, and for
the bootstrap the estimated mean and 95% half-interval; the p-value, starred below
0.05); ``--format json`` holds the same numbers with a ``schema_version``.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any

from evalkit.commands.flags import add_paired_test

SCHEMA_VERSION = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The paired-test flags of ``evalkit score``."""
    add_paired_test(parser, against=" against the first -i file", default=False)
    parser.add_argument(
        "--width",
        "-w",
        type=int,
        default=1,
        metavar="N",
        help="decimals in the paired-test table, as sacrebleu -w (default: 1)",
    )
    parser.add_argument(
        "--paired-n",
        type=int,
        default=None,
        metavar="N",
        help="bootstrap resamples or randomization trials (default: 1000 or 10000)",
    )


def paired_report(
    refs: Sequence[Any],
    systems: Mapping[str, Sequence[Any]],
    *,
    lang: str,
    metrics: Sequence[str],
    method: str,
    n_samples: int | None,
    seed: int,
    options: Mapping[str, Mapping[str, Any]],
    srcs: Sequence[str] | None = None,
    jobs: int | None = None,
    reference_name: str = "",
) -> dict[str, Any]:
    """Every system against the first, for every metric: the JSON-able report.

    Raises:
        ConfigError: for fewer than two systems, an unknown test or a bad seed.
    """
    from evalkit.errors import ConfigError
    from evalkit.paired import DEFAULT_SAMPLES, METHODS, NAMES, check_method, paired_test
    from evalkit.resample import check_seed
    from evalkit.scorers import get_scorer
    from evalkit.scorers.batch import compute_stats
    from evalkit.scorers.facts import metric_facts

    check_method(method)
    check_seed(seed, what="--seed")
    n = DEFAULT_SAMPLES[method] if n_samples is None else n_samples
    if n < 1:
        raise ConfigError(f"--paired-n must be at least 1, got {n}")
    names = list(systems)
    if len(names) < 2:
        raise ConfigError("paired tests need a baseline and at least one system: give -i BASE SYS")
    stats = compute_stats(
        metrics,
        lang=lang,
        refs=refs,
        systems=[systems[s] for s in names],
        options={m: dict(o) for m, o in options.items()},
        srcs=srcs,
        jobs=jobs,
    )
    test = f"{METHODS[method]}-{n}|seed:{seed}"
    rows: list[dict[str, Any]] = [{"system": name} for name in names]
    signatures = {}
    for m in metrics:
        scorer = get_scorer(m, lang=lang, **dict(options.get(m) or {}))
        signatures[m] = f"{scorer.signature()}|{test}"
        base = stats[m][0]
        for k in range(1, len(names)):
            res = paired_test(method, scorer, base, stats[m][k], n_samples=n, seed=seed)
            if k == 1:
                rows[0][m] = {
                    "score": res.baseline,
                    "p_value": None,
                    "mean": res.baseline_mean,
                    "ci": res.baseline_ci,
                }
            rows[k][m] = {
                "score": res.candidate,
                "p_value": res.p_value,
                "mean": res.candidate_mean,
                "ci": res.candidate_ci,
            }
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "score-paired",
        "test": {"method": NAMES[method], "n_samples": n, "seed": seed, "signature": test},
        "lang": lang,
        "reference": reference_name,
        "n": len(refs),
        "baseline": names[0],
        "metrics": list(metrics),
        "labels": {m: metric_facts(m).label for m in metrics},
        "signatures": signatures,
        "systems": rows,
    }


def _cell(result: Mapping[str, Any], width: int) -> str:
    # sacrebleu's _format_score_lines: "score (mean ± ci)" and "(p = 0.0123)*".
    text = f"{result['score']:.{width}f}"
    if result.get("mean") is not None:
        text += f" ({result['mean']:.{width}f} ± {result['ci']:.{width}f})"
    p = result.get("p_value")
    if p is not None:
        text += f"\n(p = {p:.4f})" + ("*" if p <= 0.05 else "")
    return text


def format_text(report: Mapping[str, Any], width: int = 1) -> str:
    """sacrebleu's paired-test table (``fancy_grid``), legend and signatures, no colours."""
    from tabulate import tabulate

    from evalkit.report.fmt import terminal_text

    bootstrap = report["test"]["method"] == "paired-bootstrap"
    table: dict[str, list[str]] = {
        "System": [
            terminal_text(("Baseline: " if i == 0 else "") + row["system"])
            for i, row in enumerate(report["systems"])
        ]
    }
    for m in report["metrics"]:
        title = report["labels"][m] + (" (μ ± 95% CI)" if bootstrap else "")
        table[title] = [_cell(row[m], width) for row in report["systems"]]
    grid = tabulate(
        table,
        headers="keys",
        tablefmt="fancy_grid",
        colalign=("right",),
        stralign="center",
        numalign="center",
    )
    n = report["test"]["n_samples"]
    msg = (
        f"Paired bootstrap resampling test with {n} resampling trials"
        if bootstrap
        else f"Paired approximate randomization test with {n} trials"
    )
    lines = [grid, "", "-" * len(msg), msg, "-" * len(msg)]
    lines.append(f" - Each system is pairwise compared to {terminal_text(report['baseline'])}.")
    if bootstrap:
        lines.append(
            "   Actual system score / bootstrap estimated true mean / 95% CI are provided "
            "for each metric."
        )
    lines += [
        " - p-values < 0.05 are marked with '*': the delta is unlikely to be due to chance.",
        "   Significance tells that a system differs from the baseline, not that it is better.",
        "",
        "-----------------",
        "Metric signatures",
        "-----------------",
    ]
    lines += [f" - {report['labels'][m]:<10} {sig}" for m, sig in report["signatures"].items()]
    return "\n".join(lines) + "\n"


def run(
    args: argparse.Namespace,
    refs: Sequence[Any],
    systems: Mapping[str, Sequence[Any]],
    metrics: Sequence[str],
    options: Mapping[str, Mapping[str, Any]],
    srcs: Sequence[str] | None,
) -> int:
    """Score ``systems`` with the paired test ``args.paired`` and print the report."""
    import sys

    from evalkit.io import dumps
    from evalkit.scorers.corpus import scorer_options

    report = paired_report(
        refs,
        systems,
        lang=args.lang,
        metrics=metrics,
        method=args.paired,
        n_samples=args.paired_n,
        seed=args.seed,
        options=scorer_options(metrics, args.tokenize, options),
        srcs=srcs,
        jobs=args.jobs,
        reference_name=args.reference,
    )
    if args.width < 0:
        from evalkit.errors import ConfigError

        raise ConfigError(f"--width must be >= 0, got {args.width}")
    text = (
        dumps(report, indent=2) + "\n" if args.format == "json" else format_text(report, args.width)
    )
    sys.stdout.write(text)
    return 0

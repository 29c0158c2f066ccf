"""``evalkit score``: score hypothesis files against a reference file, like sacrebleu.

Exit codes: 0 scored; 2 bad input (missing file, line-count mismatch, unknown metric).
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-r",
        "--reference",
        required=True,
        metavar="REF_FILE",
        help="reference segments, one per line (UTF-8)",
    )
    parser.add_argument(
        "-i",
        "--input",
        required=True,
        nargs="+",
        metavar="HYP_FILE",
        help="hypothesis files, one system each, one segment per line",
    )
    parser.add_argument(
        "--source",
        metavar="SRC_FILE",
        default=None,
        help="source segments, one per line, for metrics that read them (comet)",
    )
    # evalkit 0.1 spelling, hidden: -s is --system in the commands that run a system
    parser.add_argument("-s", dest="source", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    parser.add_argument(
        "-l",
        "--lang",
        required=True,
        metavar="LANG",
        help="target language (en, ko, ja): picks tokenizers and scripts",
    )
    parser.add_argument(
        "-m",
        "--metrics",
        nargs="+",
        metavar="METRIC",
        default=None,
        help="scorer names (default: bleu chrf ter); plugins by their name",
    )
    parser.add_argument(
        "--sentence-level", action="store_true", help="also print one score per segment"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--tokenize",
        metavar="TOK",
        default=None,
        help="override the tokenizer (sacrebleu name, e.g. 13a, ko-mecab, ja-mecab, none)",
    )
    parser.add_argument(
        "--scorer-option",
        action="append",
        default=[],
        metavar="METRIC.KEY=VALUE",
        help="a scorer option, e.g. comet.model=/models/wmt22-comet-da (repeatable); "
        "overrides the [scorers.METRIC] table of evalkit.toml",
    )
    parser.add_argument("--seed", type=int, default=12345, help="bootstrap seed (default: 12345)")
    parser.add_argument(
        "--resamples",
        dest="n_resamples",
        type=int,
        default=1000,
        metavar="N",
        help="bootstrap resamples for the 95%% CIs, 0 for none (default: 1000)",
    )
    # evalkit 0.1 spelling, hidden: --resamples as in run and report
    parser.add_argument(
        "--n-resamples",
        dest="n_resamples",
        type=int,
        default=argparse.SUPPRESS,
        help=argparse.SUPPRESS,
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="processes for large inputs (default: one per CPU above 20,000 segments)",
    )


def run(args: argparse.Namespace) -> int:
    from evalkit.config import load_config, scorer_options
    from evalkit.errors import ConfigError
    from evalkit.io import dumps
    from evalkit.scorers.corpus import (
        DEFAULT_METRICS,
        format_text,
        parse_scorer_option,
        read_segments,
        score_systems,
    )

    if args.n_resamples < 0:
        raise ConfigError(f"--resamples must be >= 0, got {args.n_resamples}")
    if len(set(args.input)) != len(args.input):
        dup = next(p for p in args.input if args.input.count(p) > 1)
        raise ConfigError(f"hypothesis file {dup} given twice")
    refs = read_segments(args.reference)
    systems = {path: read_segments(path) for path in args.input}
    bad = [f"{p} has {len(h)} lines" for p, h in systems.items() if len(h) != len(refs)]
    if bad:
        raise ConfigError(
            f"line counts differ: reference {args.reference} has {len(refs)} lines, "
            + ", ".join(bad)
        )
    if not refs:
        raise ConfigError(f"reference {args.reference} is empty")
    srcs = read_segments(args.source) if args.source else None
    if srcs is not None and len(srcs) != len(refs):
        raise ConfigError(
            f"line counts differ: reference {args.reference} has {len(refs)} lines, "
            f"source {args.source} has {len(srcs)} lines"
        )
    metrics = list(dict.fromkeys(args.metrics or DEFAULT_METRICS))
    if srcs is None:
        from evalkit.scorers import SCORERS

        needing = [m for m in metrics if getattr(SCORERS.get(m), "needs_sources", False)]
        if needing:
            raise ConfigError(f"{', '.join(needing)} reads the sources: give -s/--source SRC_FILE")
    options = scorer_options(load_config(), metrics)
    for text in args.scorer_option:
        metric, key, value = parse_scorer_option(text)
        if metric not in metrics:
            raise ConfigError(f"--scorer-option {text}: {metric} is not among the metrics scored")
        options.setdefault(metric, {})[key] = value

    bar = _progress_bar(len(refs) * len(systems))
    try:
        report = score_systems(
            refs,
            systems,
            lang=args.lang,
            metrics=metrics,
            tokenize=args.tokenize,
            n_resamples=args.n_resamples,
            seed=args.seed,
            sentence_level=args.sentence_level,
            jobs=args.jobs,
            progress=(lambda k: bar.update(k * len(systems))) if bar else None,
            reference_name=args.reference,
            srcs=srcs,
            source_name=args.source or "",
            options=options,
        )
    finally:
        if bar:
            bar.close()
    sys.stdout.write(
        dumps(report, indent=2) + "\n" if args.format == "json" else format_text(report)
    )
    return 0


def _progress_bar(total: int):  # type: ignore[no-untyped-def]
    """A tqdm bar on stderr for long inputs (hidden when stderr is not a terminal)."""
    if total < 5000:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="scoring", unit="seg", file=sys.stderr, disable=None)

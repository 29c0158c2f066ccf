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
        nargs="+",
        metavar="REF_FILE",
        help="reference segments, one per line (UTF-8); several files: several references "
        "per segment. A .jsonl file holds one JSON value a line: a string, a list of "
        'sentences, {"text": ...} or {"references": [...]}',
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
    parser.add_argument(
        "--sentence-separator",
        metavar="SEP",
        default=None,
        help="marks sentence breaks inside a line of a plain-text file (e.g. '<q>'); "
        "rougeLsum scores sentences",
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
        help="bootstrap resamples for the CIs, 0 for none (default: 1000)",
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
        "--confidence",
        type=float,
        default=0.95,
        help="level of the bootstrap CIs, between 0 and 1 (default: 0.95)",
    )
    from evalkit.commands.score_paired import add_arguments as add_paired_arguments

    add_paired_arguments(parser)
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
    from evalkit.scorers import parse_scorer_option
    from evalkit.scorers.corpus import DEFAULT_METRICS, format_text, score_systems
    from evalkit.scorers.inputs import combine_references, read_input, read_segments
    from evalkit.scorers.tokenizers import canonical_lang

    if args.n_resamples < 0:
        raise ConfigError(f"--resamples must be >= 0, got {args.n_resamples}")
    if not 0 < args.confidence < 1:
        raise ConfigError(f"--confidence must be between 0 and 1, got {args.confidence}")
    lang = canonical_lang(args.lang, tokenizer_given=args.tokenize is not None)
    for flag, paths in (("hypothesis", args.input), ("reference", args.reference)):
        if len(set(paths)) != len(paths):
            dup = next(p for p in paths if paths.count(p) > 1)
            raise ConfigError(f"{flag} file {dup} given twice")
    sep = args.sentence_separator
    refs = combine_references(
        [(p, read_input(p, references=True, sentence_separator=sep)) for p in args.reference]
    )
    systems = {path: read_input(path, sentence_separator=sep) for path in args.input}
    ref_name = args.reference[0] if len(args.reference) == 1 else " ".join(args.reference)
    bad = [f"{p} has {len(h)} lines" for p, h in systems.items() if len(h) != len(refs)]
    if bad:
        raise ConfigError(
            f"line counts differ: reference {ref_name} has {len(refs)} lines, " + ", ".join(bad)
        )
    if not refs:
        raise ConfigError(f"reference {ref_name} is empty")
    srcs = read_segments(args.source) if args.source else None
    if srcs is not None and len(srcs) != len(refs):
        raise ConfigError(
            f"line counts differ: reference {ref_name} has {len(refs)} lines, "
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

    if args.paired:
        from evalkit.commands import score_paired

        return score_paired.run(args, refs, systems, metrics, options, srcs)

    bar = _progress_bar(len(refs) * len(systems))
    try:
        report = score_systems(
            refs,
            systems,  # type: ignore[arg-type]  # hypothesis files hold strings only
            lang=lang,
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
            confidence=args.confidence,
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

"""``evalkit report``: regenerate a run's reports, compare runs, refresh the leaderboard.

    evalkit report RUN                      # report.md, report.html, charts/ of one run
    evalkit report RUN_A RUN_B [...] [--out DIR]   # comparison against RUN_A
    evalkit report --index                  # results/index.html and index.md

RUN is a run folder or a run id under ``<results>/runs``. The files written are
printed on stdout, one per line; a comparison also prints on stderr what improved or
regressed significantly. Exit 2 when runs cannot be compared (the rules of ``evalkit
check``: dataset, example set, texts, slices or metric signatures differ).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evalkit.commands.flags import add_paired_test


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "runs",
        nargs="*",
        metavar="RUN",
        help="run folder or run id; one to regenerate its reports, several to compare them",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where a comparison goes (default: <results>/comparisons/<A>_vs_<B>)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=Path("results"),
        metavar="DIR",
        help="results folder holding runs/ (default: results)",
    )
    parser.add_argument(
        "--index",
        action="store_true",
        help="also (re)write <results>/index.html and index.md over every run",
    )
    parser.add_argument(
        "--resamples",
        type=int,
        default=None,
        metavar="N",
        help="bootstrap resamples or randomization trials for comparisons "
        "(default: 1000 or 10000, as sacrebleu)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the paired test (default: the first run's bootstrap seed)",
    )
    add_paired_test(parser, against=" between the runs compared", default=True)


def resolve_run(value: str, results: Path) -> Path:
    """A run folder from a path or a run id under ``results/runs``.

    Raises:
        DataError: if neither exists.
    """
    from evalkit.errors import DataError
    from evalkit.runfiles import RUN_FILE

    path = Path(value)
    if path.name == RUN_FILE:
        path = path.parent
    if (path / RUN_FILE).is_file():
        return path
    candidate = results / "runs" / value
    if "/" not in value and value not in (".", "..") and (candidate / RUN_FILE).is_file():
        return candidate
    raise DataError(f"no run {value!r}: neither a run folder nor a run id under {results / 'runs'}")


def run(args: argparse.Namespace) -> int:
    from evalkit.errors import ConfigError

    if not args.runs and not args.index:
        raise ConfigError("give a run to report, two or more runs to compare, or --index")
    if args.resamples is not None and args.resamples < 1:
        raise ConfigError(f"--resamples must be at least 1, got {args.resamples}")
    if args.seed is not None:
        from evalkit.resample import check_seed

        check_seed(args.seed, what="--seed")
    from evalkit import report

    paths = [resolve_run(r, args.results) for r in args.runs]
    written: list[Path] = []
    if len(paths) == 1:
        if args.out is not None:
            raise ConfigError(
                "--out applies to comparisons; a run's reports are written into its folder"
            )
        written += report.write_run_reports(paths[0])
    elif len(paths) > 1:
        import sys

        from evalkit.io import confine
        from evalkit.report.compare import compare_and_write, default_out_dir
        from evalkit.report.compare_text import text_summary

        out = Path(args.out) if args.out is not None else default_out_dir(paths)
        # the default lands in <results>/comparisons/: no link placed there is followed
        with confine(out if args.out is not None else out.parent.parent):
            comparison, files = compare_and_write(
                paths, out, n_resamples=args.resamples, seed=args.seed, method=args.paired or "bs"
            )
        written += files
        # what improved or regressed significantly, on stderr (stdout lists the files)
        sys.stderr.write(text_summary(comparison))
    if args.index:
        written += report.write_index(args.results)
    for path in written:
        print(path)
    return 0

"""``evalkit check``: fail when a run regresses against a committed baseline.

Exit codes: 0 no regression; 1 at least one regression; 2 the baseline and the run
cannot be compared (the message says what differs) or bad input.
"""

from __future__ import annotations

import argparse
import os
import sys

from evalkit.commands.flags import add_paired_test


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--baseline",
        required=True,
        metavar="FILE",
        help="baseline file written by `evalkit baseline save`",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--run", metavar="RUN", help="run folder to check (results/runs/<run-id>)")
    what.add_argument(
        "--system",
        "-s",
        metavar="NAME",
        help="run this system first (as the baseline's run was made, using the output "
        "cache), then check its run",
    )
    parser.add_argument(
        "--max-drop",
        action="append",
        default=[],
        metavar="METRIC=N",
        help="tolerance of a metric in its own units, e.g. bleu=1.0 "
        "(repeatable; default from evalkit.toml [check.max_drop], else built-in)",
    )
    parser.add_argument(
        "--alpha",
        type=float,
        default=None,
        help="significance level of the paired test (default 0.05)",
    )
    add_paired_test(parser, default=True)
    parser.add_argument(
        "--resamples",
        type=int,
        default=None,
        metavar="N",
        help="bootstrap resamples or randomization trials (default 1000 or 10000)",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="seed of the paired test (default 12345)"
    )
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="list every slice (default: the verdict, the changed slices, a count of the rest)",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="stdout format (default text)"
    )
    parser.add_argument(
        "--junit", metavar="FILE", help="also write JUnit XML, one test case per slice"
    )
    parser.add_argument(
        "--dataset",
        metavar="PATH",
        help="with --system: papers.jsonl, a folder or digests (default: the baseline's, "
        "else bundled)",
    )
    parser.add_argument(
        "--results",
        metavar="DIR",
        default="results",
        help="with --system: results folder (default: results)",
    )
    parser.add_argument(
        "--no-report", action="store_true", help="with --system: do not write the run's reports"
    )
    parser.epilog = (
        "Exit codes: 0 no regression, 1 regression, 2 cannot compare (dataset, "
        "metric signature or example set differ) or bad input. When "
        "GITHUB_STEP_SUMMARY is set, a Markdown summary is appended to that file."
    )


def run(args: argparse.Namespace) -> int:
    from evalkit.check import report as check_report
    from evalkit.errors import EvalkitError, IncomparableError

    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    try:
        result = _check(args)
    except EvalkitError as exc:
        # Whatever stopped the check, CI shows it where it shows regressions: the
        # command did not do its job, so it never exits 0.
        message = str(exc)
        status = "incomparable" if isinstance(exc, IncomparableError) else "error"
        title = "cannot compare" if status == "incomparable" else "error"
        if args.format == "json":
            sys.stdout.write(check_report.incomparable_json(message, status))
        if args.junit:
            check_report.write_junit(args.junit, check_report.incomparable_junit(message))
        if summary_path:
            check_report.append_step_summary(
                summary_path, check_report.incomparable_markdown(message, title)
            )
        raise
    if args.format == "json":
        sys.stdout.write(check_report.format_json(result))
    else:
        sys.stdout.write(check_report.format_text(result, verbose=args.verbose))
    if args.junit:
        check_report.write_junit(args.junit, check_report.junit_xml(result))
    if summary_path:
        check_report.append_step_summary(summary_path, check_report.markdown_summary(result))
    return result.exit_code


def _check(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from evalkit import baseline as baselines
    from evalkit import check
    from evalkit.check.engine import TestSettings
    from evalkit.report.fmt import terminal_text
    from evalkit.runfiles import load_run

    settings = TestSettings(
        method=args.paired or "bs",
        n_samples=args.resamples,
        seed=check.DEFAULT_SEED if args.seed is None else args.seed,
        alpha=check.DEFAULT_ALPHA if args.alpha is None else args.alpha,
    ).validated()
    base = baselines.load(args.baseline)
    tolerances = check.resolve_max_drop(
        sorted(base.metrics),
        check.parse_max_drop(args.max_drop),
        check.config_max_drop(),
    )
    run_path = args.run
    if args.system is not None:
        from evalkit.check.rerun import run_like

        run_path = run_like(
            base,
            args.system,
            dataset=args.dataset,
            results=args.results,
            reports=not args.no_report,
        )
        print(f"evalkit check: ran {terminal_text(args.system)}: {run_path}", file=sys.stderr)
    return check.compare(
        base,
        load_run(run_path),
        max_drop=tolerances,
        alpha=settings.alpha,
        seed=settings.seed,
        n_resamples=settings.n_samples,
        method=settings.method,
    )

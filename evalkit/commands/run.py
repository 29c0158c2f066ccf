"""``evalkit run --system NAME``: run a system over the dataset and score it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evalkit.records import Segment


def _list(values: Sequence[str] | None) -> list[str] | None:
    """``--tasks a,b c`` -> ``[a, b, c]``; None stays None."""
    if not values:
        return None
    return [v for value in values for v in value.split(",") if v]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--system",
        "-s",
        metavar="NAME",
        help="a system of evalkit.toml, a plugin, a built-in (copy-source, reference, lead)"
        " or module:callable",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the systems NAME can be, and exit"
    )
    parser.add_argument(
        "--dataset", metavar="PATH", help="papers.jsonl, a folder, or digests (default: bundled)"
    )
    parser.add_argument(
        "--results", metavar="DIR", default="results", help="results folder (default: results)"
    )
    parser.add_argument("--tasks", nargs="+", metavar="TASK", help="translation, summarization")
    parser.add_argument(
        "--pairs", nargs="+", metavar="PAIR", help="language pairs (default en-ko en-ja)"
    )
    parser.add_argument(
        "--fields", nargs="+", metavar="FIELD", help="title, summary, abstract (default all)"
    )
    parser.add_argument(
        "--weeks", nargs="+", metavar="WEEK", help="ISO weeks like 2023-W41 (default all)"
    )
    parser.add_argument(
        "--metrics",
        nargs="+",
        metavar="METRIC",
        help="default: bleu chrf ter target_script length_ratio (translation);"
        " rouge1 rouge2 rougeL length_ratio (summarization)",
    )
    parser.add_argument(
        "--max-failures",
        type=int,
        default=0,
        metavar="N",
        help="failed batches tolerated before stopping (default 0)",
    )
    parser.add_argument(
        "--retries", type=int, default=0, metavar="N", help="extra attempts per failed batch"
    )
    parser.add_argument(
        "--max-cost",
        type=float,
        default=None,
        metavar="USD",
        help="stop before the system's spending (from [prices] in evalkit.toml) passes this;"
        " what was answered is kept and the same command resumes",
    )
    parser.add_argument("--seed", type=int, default=12345, help="bootstrap seed (default 12345)")
    parser.add_argument(
        "--resamples",
        type=int,
        default=1000,
        metavar="N",
        help="bootstrap resamples for the 95%% CIs (default 1000; 0 for none)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the output cache"
    )
    parser.add_argument("--no-report", action="store_true", help="do not write report files")


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if abs(value) < 1.5 else f"{value:.2f}"


def summary_table(
    segments: Sequence[Segment],
    metrics_by_task: Mapping[str, Sequence[str]],
    scorer_options: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """Per-week scores (fields pooled, no CIs) as aligned text, one block per task.

    The scorers are built with the run's options (a neural metric's model, a judge).
    """
    from evalkit.segments import pooled_fields
    from evalkit.slices import score_slices

    pooled = pooled_fields(segments)
    lines: list[str] = []
    for task, metrics in metrics_by_task.items():
        rows = score_slices(
            [s for s in pooled if s.task == task],
            metrics,
            n_resamples=0,
            scorer_options=scorer_options,
        )
        table: dict[tuple[str, str], dict[str, float]] = {}
        for r in rows:
            table.setdefault((r.week, r.pair), {"n": r.n})[r.metric] = r.score
        if not table:
            continue
        header = ["week", "pair", "n", *metrics]
        body = [
            [w, p, str(v["n"]), *(_fmt(v.get(m)) for m in metrics)] for (w, p), v in table.items()
        ]
        widths = [max(len(str(c)) for c in col) for col in zip(header, *body, strict=True)]
        if lines:
            lines.append("")
        lines.append(f"{task} (fields pooled)")
        for row in [header, *body]:
            lines.append(
                "  ".join(
                    c.ljust(w) if i < 2 else c.rjust(w)
                    for i, (c, w) in enumerate(zip(row, widths, strict=True))
                )
            )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from evalkit.errors import ConfigError

    if args.list:
        from evalkit.systems.resolve import available_systems

        for name, origin in available_systems().items():
            print(f"{name}\t{origin}")
        return 0
    if not args.system:
        from evalkit.systems.resolve import available_systems

        raise ConfigError(f"--system is required; known: {', '.join(available_systems())}")
    from evalkit.run_pipeline import RunOptions, execute

    result = execute(
        RunOptions(
            system=args.system,
            dataset=args.dataset,
            results=args.results,
            tasks=_list(args.tasks),
            pairs=_list(args.pairs),
            fields=_list(args.fields),
            weeks=_list(args.weeks),
            metrics=_list(args.metrics),
            max_failures=args.max_failures,
            retries=args.retries,
            max_cost=args.max_cost,
            seed=args.seed,
            n_resamples=args.resamples,
            use_cache=not args.no_cache,
            reports=not args.no_report,
        )
    )
    r = result.runner
    print(
        f"evalkit run: {len(result.segments)} segments, {r.calls} system call(s),"
        f" {r.from_cache} from cache, {r.from_run} resumed; {result.run_dir}",
        file=sys.stderr,
    )
    if result.failures:
        failed = sum(len(f.ids) for f in result.failures)
        print(
            f"evalkit run: warning: {failed} of {result.record.examples_count} example(s)"
            f" failed in {len(result.failures)} batch(es), within --max-failures"
            f" {args.max_failures}; run is partial ({len(result.segments)} scored)",
            file=sys.stderr,
        )
    selection = result.record.selection
    unjudged: dict[str, int] = {}
    for seg in result.segments:
        for flag in seg.flags:
            if flag.startswith("judge_unparsed:"):
                metric = flag.split(":", 1)[1]
                unjudged[metric] = unjudged.get(metric, 0) + 1
    for metric, n in sorted(unjudged.items()):
        print(
            f"evalkit run: warning: {metric}: {n} segment(s) unjudged (answers that could not"
            " be parsed after the retries); flagged in segments.jsonl, left out of the score",
            file=sys.stderr,
        )
    print(summary_table(result.segments, selection.metrics_by_task, selection.scorer_options))
    return 0

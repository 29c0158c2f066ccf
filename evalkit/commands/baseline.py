"""``evalkit baseline save RUN --to FILE``: keep a run as a committed baseline."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    save = sub.add_parser(
        "save",
        help="write the baseline of a run",
        description="Write a small baseline file (scores, signatures, dataset fingerprint, "
        "per-segment statistics for paired tests) from a run folder, for `evalkit check`.",
    )
    save.add_argument("run", metavar="RUN", help="run folder (results/runs/<run-id>)")
    save.add_argument(
        "--to",
        required=True,
        metavar="FILE",
        help="baseline file to write, e.g. results/baselines/NAME.json",
    )


def run(args: argparse.Namespace) -> int:
    from evalkit import baseline

    saved = baseline.save(args.run, args.to)
    data = saved.data
    size = Path(args.to).stat().st_size
    print(
        f"saved baseline {args.to}: {data['examples']['count']} examples, "
        f"{len(data['metrics'] or {})} metrics, {size} bytes"
    )
    return 0

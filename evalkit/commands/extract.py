"""``evalkit extract``: digests and paper notes -> ``DIR/papers.jsonl``.

stdout: one summary line per input file, the total, and the aligned pairs per language
pair and field. stderr: one line per problem (``file:line: message``).
Exit codes: 0 done; 1 problems found under ``--strict``; 2 unusable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from evalkit.digests import FORMATS

    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="digest files, paper notes (*.md), or folders of them: *.txt week files in the"
        " folder, *.md notes under it (default: the bundled sample digests)",
    )
    parser.add_argument(
        "--out", default="data", metavar="DIR", help="write DIR/papers.jsonl (default: data/)"
    )
    parser.add_argument(
        "--arxiv-metadata",
        metavar="FILE",
        help="arXiv metadata snapshot (JSON lines) to add English abstracts, titles, authors",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 if any problem was found in the input"
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        metavar="FMT",
        help=f"read every file as this format instead of detecting it: {', '.join(FORMATS)}",
    )


def run(args: argparse.Namespace) -> int:
    from evalkit.dataset import bundled_digests, save
    from evalkit.extract import extract

    paths = [Path(p) for p in args.paths] or [bundled_digests()]
    result = extract(paths, fmt=args.fmt, arxiv_metadata=args.arxiv_metadata)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    for summary in result.files:
        print(summary)
    entries = sum(f.papers for f in result.files)
    n = len(result.problems)
    print(
        f"total: {len(result.papers)} papers from {entries} entries in {len(result.files)} files,"
        f" {n} problem{'' if n == 1 else 's'}"
    )
    pairs = "; ".join(
        f"{pair} " + ", ".join(f"{name} {count}" for name, count in fields.items())
        for pair, fields in result.pairs().items()
    )
    print(f"aligned pairs: {pairs}")
    out = save(result.papers, Path(args.out))
    print(f"wrote {out}", file=sys.stderr)
    if args.strict and result.problems:
        print(f"evalkit extract: {n} problem{'' if n == 1 else 's'} (--strict)", file=sys.stderr)
        return 1
    return 0

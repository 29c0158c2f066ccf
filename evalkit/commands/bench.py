"""``evalkit bench``: run the performance benchmarks of a source checkout.

The benchmarks live in ``benchmarks/`` beside the ``evalkit`` package (they are not
installed with it); ``python -m benchmarks`` takes the same options.

Exit codes: 0 every target met (with ``--quick``: every exactness check passed);
1 a target missed or a benchmark failed; 2 bad options or no ``benchmarks/`` folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny sizes, one repetition (a smoke run: its ratios prove nothing)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        default=None,
        help="run only these benchmarks (default: all; see --list)",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help="where to write RESULTS.md and results.json (default: benchmarks/ for a full"
        " run of everything, benchmarks/_work/ otherwise)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        metavar="N",
        help="measured repetitions after the warm-up (default: 3; 1 with --quick)",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")


def find_checkout() -> Path:
    """The source checkout holding ``benchmarks/`` (the parent of the evalkit package).

    Raises:
        ConfigError: when evalkit is not run from a source checkout.
    """
    import evalkit
    from evalkit.errors import ConfigError

    root = Path(evalkit.__file__).resolve().parent.parent
    if not (root / "benchmarks" / "suite.py").is_file():
        raise ConfigError(
            f"no benchmarks/ folder beside {root / 'evalkit'}: evalkit bench runs from a"
            " source checkout (git clone, then python -m evalkit bench)"
        )
    return root


def run(args: argparse.Namespace) -> int:
    from evalkit.errors import ConfigError

    root = find_checkout()
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from benchmarks import suite

    if args.list:
        for name, (_, title) in suite.BENCHMARKS.items():
            print(f"{name:<10} {title}")
        return 0
    unknown = [n for n in args.only or [] if n not in suite.BENCHMARKS]
    if unknown:
        raise ConfigError(f"unknown benchmark {unknown[0]!r}; known: {', '.join(suite.BENCHMARKS)}")
    if args.repeat is not None and args.repeat < 1:
        raise ConfigError(f"--repeat must be >= 1, got {args.repeat}")
    return suite.run(
        quick=args.quick,
        only=args.only,
        out=Path(args.out) if args.out else None,
        repeat=args.repeat,
    )

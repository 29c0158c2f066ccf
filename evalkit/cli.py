"""The ``evalkit`` command line: a thin layer over the library.

Each subcommand lives in ``evalkit/commands/<name>.py`` with two functions,
``add_arguments(parser)`` and ``run(args) -> int``; only the module of the command
being run is imported, so ``evalkit --help`` stays fast.

Exit codes: 0 success; 1 the command ran and found a failure (a regression, a strict
extraction problem); 2 a usage or input error (an :class:`~evalkit.errors.EvalkitError`,
printed as one line on stderr), or a file that cannot be written or read (a full disk,
an unwritable folder: one line naming the file); 130 interrupted (Ctrl-C); 143
terminated (SIGTERM).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from evalkit import __version__, signals
from evalkit.errors import EvalkitError

#: name -> (module, one-line help). Add a command by adding a row and a module.
COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("evalkit.commands.extract", "extract digests into an aligned papers.jsonl"),
    "dataset": ("evalkit.commands.dataset", "inspect a dataset: stats, dataset card"),
    "score": ("evalkit.commands.score", "score hypothesis files against a reference file"),
    "run": ("evalkit.commands.run", "run a system over the dataset and score it"),
    "report": ("evalkit.commands.report", "write reports for a run, or compare runs"),
    "baseline": ("evalkit.commands.baseline", "save a run as a committed baseline"),
    "check": ("evalkit.commands.check", "fail when a system regresses against a baseline"),
    "publish": ("evalkit.commands.publish", "publish the dataset to the Hugging Face Hub"),
    "bench": ("evalkit.commands.bench", "run the performance benchmarks"),
}


def _parser(command: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalkit",
        description="Evaluate translation and summarization of ML-paper digests (EN/KO/JA).",
        epilog="Exit codes: 0 ok, 1 failure found (regression, strict problems), 2 bad input.",
    )
    parser.add_argument("--version", action="version", version=f"evalkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            importlib.import_module(module_name).add_arguments(p)
    return parser


def _single_threaded_blas() -> None:
    """Ask OpenBLAS for one thread unless the user chose otherwise (before numpy loads).

    evalkit's matrix products are small (bootstrap resample counts times segment
    statistics); OpenBLAS's threads make them slower, 7 to 40 times on a busy 2-core
    machine. Parallel work goes to a process pool instead.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``evalkit`` console script; returns the exit code."""
    _single_threaded_blas()
    signals.install()
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in args_list if not a.startswith("-")), None)
    if command not in COMMANDS:
        command = None
    parser = _parser(command)
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 2
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args) or 0)
    except EvalkitError as exc:
        print(f"evalkit {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        code = signals.exit_code(exc)
        what = "terminated" if code == 143 else "interrupted"
        print(f"evalkit {args.command}: {what}", file=sys.stderr)
        return code
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a full disk, an unwritable folder: fixable, not a crash
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"evalkit {args.command}: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

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
from typing import NoReturn

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


class _CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: its errors print its own usage and name misspelt options."""

    argv: Sequence[str] = ()

    def error(self, message: str) -> NoReturn:
        hint = _did_you_mean(self.argv, self)
        if hint and "did you mean" not in message:
            message = f"{message}; {hint}"
        super().error(message)


def _parser(
    command: str | None, argv: Sequence[str] = ()
) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog="evalkit",
        description="Evaluate translation and summarization of ML-paper digests (EN/KO/JA).",
        epilog="Exit codes: 0 ok, 1 failure found (regression, strict problems), 2 bad input.",
    )
    parser.add_argument("--version", action="version", version=f"evalkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)
    parsers: dict[str, argparse.ArgumentParser] = {}
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.argv = argv
        parsers[name] = p
        if name == command:
            importlib.import_module(module_name).add_arguments(p)
    return parser, parsers


def _visible_options(parser: argparse.ArgumentParser) -> list[str]:
    """The option strings ``--help`` shows (hidden old spellings are not suggested)."""
    return [
        s
        for action in parser._actions
        if action.help is not argparse.SUPPRESS
        for s in action.option_strings
    ]


def _did_you_mean(argv: Sequence[str], parser: argparse.ArgumentParser) -> str:
    """``--sytem is not an option of `evalkit run`: did you mean --system?``, or ``""``."""
    from evalkit.didyoumean import closest

    known = [s for a in parser._actions for s in a.option_strings]
    visible = [o for o in _visible_options(parser) if o.startswith("--")]
    for arg in argv:
        if not arg.startswith("--") or arg == "--":
            continue
        flag = arg.split("=", 1)[0]
        if flag in known or sum(k.startswith(flag) for k in known) == 1:
            continue  # an option, or an unambiguous abbreviation of one
        close = closest(flag, visible)
        if close:
            return f"{flag} is not an option of `{parser.prog}`: did you mean {close}?"
    return ""


def _check_command(parser: argparse.ArgumentParser, args_list: Sequence[str]) -> None:
    """Exit 2 with a did-you-mean for a misspelt command (``evalkit rn``)."""
    first = next((a for a in args_list if not a.startswith("-")), None)
    if first is None or first in COMMANDS:
        return
    if any(a in ("-h", "--help", "--version") for a in args_list[: args_list.index(first)]):
        return
    from evalkit.didyoumean import unknown_key_message

    parser.error(unknown_key_message(first, COMMANDS, what="command"))


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
    parser, parsers = _parser(command, args_list)
    _check_command(parser, args_list)
    args, extras = parser.parse_known_args(args_list)
    if extras:
        # the command's own usage, not the top-level one, and the closest option
        target = parsers.get(args.command) if args.command else None
        (target or parser).error(f"unrecognized arguments: {' '.join(extras)}")
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

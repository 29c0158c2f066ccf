"""Flags that several commands share, declared once so they mean the same everywhere."""

from __future__ import annotations

import argparse


def add_paired_test(parser: argparse.ArgumentParser, *, against: str = "", default: bool) -> None:
    """``--paired-bs`` / ``--paired-ar``, as sacrebleu's: ``args.paired`` is ``"bs"``,
    ``"ar"`` or None (not given).

    Args:
        against: What the systems are tested against, for the help text.
        default: Whether the command runs the bootstrap test when neither is given.
    """
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--paired-bs",
        dest="paired",
        action="store_const",
        const="bs",
        help=f"paired bootstrap resampling{against}, as sacrebleu --paired-bs"
        + (" (the default)" if default else ""),
    )
    group.add_argument(
        "--paired-ar",
        dest="paired",
        action="store_const",
        const="ar",
        help=f"paired approximate randomization{against}, as sacrebleu --paired-ar",
    )

"""``python -m benchmarks [--quick] [--only NAME ...] [--out DIR]``, as ``evalkit bench``."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    from evalkit.cli import main

    sys.exit(main(["bench", *sys.argv[1:]]))

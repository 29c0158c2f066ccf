"""``evalkit --help``: the modules it imports; its start-up time against ``python -c pass``."""

from __future__ import annotations

import sys
from typing import Any

from benchmarks.harness import Context, check, measure, run_command

#: Modules ``evalkit --help`` must not import (each costs from 0.1 s to seconds).
HEAVY = ("numpy", "datasets", "pyarrow", "torch", "transformers", "MeCab", "mecab_ko")


def imported_modules(argv: list[str]) -> list[str]:
    """Top-level names of every module imported by ``python -X importtime ARGV``."""
    res = run_command([sys.executable, "-X", "importtime", *argv])
    names = set()
    for line in res.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name.split(".")[0])
    return sorted(names)


def run(ctx: Context) -> dict[str, Any]:
    help_argv = ["-m", "evalkit", "--help"]
    heavy = [m for m in imported_modules(help_argv) if m in HEAVY]
    repeat = ctx.size(15, 3)
    t = measure(
        {
            "python_pass": lambda: run_command([sys.executable, "-c", "pass"]),
            "evalkit_help": lambda: run_command([sys.executable, *help_argv]),
        },
        repeat=repeat,
        warmup=2,
    )
    base, ours = t["python_pass"].median, t["evalkit_help"].median
    bound = 2 * base + 0.15
    return {
        "title": "evalkit --help against python -c pass",
        "size": {"runs": repeat},
        "timings": {name: tm.to_dict() for name, tm in t.items()},
        "figures": {
            "python_pass_s": round(base, 4),
            "evalkit_help_s": round(ours, 4),
            "bound_s": round(bound, 4),
            "overhead_s": round(ours - base, 4),
            "heavy_modules_imported": heavy,
        },
        "checks": [
            check("evalkit --help seconds (< 2 x python -c pass + 0.15 s)", ours, "<", bound, "s"),
            check(
                f"heavy modules imported by --help ({', '.join(HEAVY)})", len(heavy), "<=", 0, ""
            ),
        ],
        "notes": ["`python -m evalkit --help` from the checkout; medians of wall time."],
    }

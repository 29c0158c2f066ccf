"""Time the phases of one ``evalkit run`` in this process; print them as one JSON line.

Run as a script (``python benchmarks/run_phases.py RESULTS_DIR [RUN ARGS...]``) with the
checkout to measure first on ``PYTHONPATH``: it imports nothing from ``benchmarks``, so
the same file measures evalkit 0.1.0 and today's code alike.

The phases are found by name, not by how ``evalkit.run`` calls them: every loaded
``evalkit`` module attribute that *is* one of the functions below is replaced by a timed
wrapper, wherever it was imported to. Reports: ``evalkit.report.write_run_reports`` and
``write_index``. Scoring: ``evalkit.segments.build_segments`` (segment statistics) and
``evalkit.slices.score_slices`` (slice scores and bootstrap CIs).
"""

from __future__ import annotations

import importlib
import io
import json
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stdout, suppress
from typing import Any

PHASES = {
    "reports": (
        ("evalkit.report", "write_run_reports"),
        ("evalkit.report", "write_index"),
    ),
    "scoring": (
        ("evalkit.segments", "build_segments"),
        ("evalkit.slices", "score_slices"),
    ),
}


def _timed(fn: Callable[..., Any], phase: str, spent: dict[str, float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[phase] += time.perf_counter() - t0

    return wrapper


def _patch(spent: dict[str, float]) -> list[str]:
    """Wrap every phase function wherever it is bound; the names found."""
    for name in ("evalkit.cli", "evalkit.run", "evalkit.commands.run"):
        with suppress(ImportError):
            importlib.import_module(name)
    found = []
    for phase, targets in PHASES.items():
        for module_name, attr in targets:
            try:
                original = getattr(importlib.import_module(module_name), attr)
            except (ImportError, AttributeError):
                continue
            wrapped = _timed(original, phase, spent)
            for mod in list(sys.modules.values()):
                if getattr(mod, "__name__", "").startswith("evalkit") and any(
                    value is original for value in vars(mod).values()
                ):
                    for key, value in list(vars(mod).items()):
                        if value is original:
                            setattr(mod, key, wrapped)
            found.append(f"{module_name}.{attr}")
    return found


def main(argv: list[str]) -> int:
    results, extra = argv[0], argv[1:]
    t_start = time.perf_counter()
    spent = {phase: 0.0 for phase in PHASES}
    found = _patch(spent)
    from evalkit.cli import main as cli_main

    t0 = time.perf_counter()
    with redirect_stdout(io.StringIO()):
        code = cli_main(["run", "--system", "reference", "--results", results, *extra])
    total = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "exit_code": code,
                "run_s": total,
                "imports_before_run_s": t0 - t_start,
                "phases_s": spent,
                "phase_functions": found,
                "matplotlib_imported": any(
                    m == "matplotlib" or m.startswith("matplotlib.") for m in sys.modules
                ),
            }
        )
    )
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

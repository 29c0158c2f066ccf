"""The benchmark suite: runs the benchmarks, writes ``results.json`` and ``RESULTS.md``.

Each benchmark is a module with ``run(ctx) -> dict`` returning ``title``, ``size``,
``timings`` (medians and runs), ``figures`` (ratios and derived numbers), ``checks``
(targets: measured, operator, threshold, met) and ``notes``.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks.harness import REPO, Context, machine
from evalkit.run import git_revision

SCHEMA_VERSION = 1
BENCH_DIR = REPO / "benchmarks"
WORK_DIR = BENCH_DIR / "_work"

#: name -> (module, one-line description), in running order.
BENCHMARKS: dict[str, tuple[str, str]] = {
    "startup": ("benchmarks.bench_startup", "evalkit --help: imports and start-up time"),
    "rouge": ("benchmarks.bench_rouge", "ROUGE-1/2/L on Korean abstracts vs rouge-score"),
    "ter": ("benchmarks.bench_ter", "TER on abstracts vs sacrebleu's shift search"),
    "slices": ("benchmarks.bench_slices", "slices + bootstrap CIs vs one sacrebleu pass"),
    "systems": ("benchmarks.bench_systems", "evalkit score -i (K=5) vs five sacrebleu runs"),
    "pool": ("benchmarks.bench_pool", "statistics in a process pool: 2 cores vs 1"),
    "openai": ("benchmarks.bench_openai", "openai kind: concurrency 16 vs 1 (50 ms server)"),
    "costs": ("benchmarks.bench_costs", "cost per 1,000 segments of each metric"),
    "scale": ("benchmarks.bench_scale", "evalkit score on 10k and 100k Korean segments"),
    "notes": ("benchmarks.bench_notes", "evalkit extract on 3,900 generated paper notes"),
    "report": ("benchmarks.bench_report", "evalkit run: writing reports vs scoring, vs 0.1.0"),
}

#: Checks that hold at any size (exactness, imports); the others are speed targets,
#: judged only on a full run.
EXACT_UNITS = ("", "bool")


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(
    *,
    quick: bool = False,
    only: list[str] | None = None,
    out: Path | None = None,
    repeat: int | None = None,
) -> int:
    """Run the selected benchmarks and write the results; the exit code.

    Returns:
        0 when every check passed (with ``quick``: every exactness check), else 1.
    """
    from evalkit import __version__
    from evalkit.io import write_json

    names = list(only or BENCHMARKS)
    if out is None:
        out = BENCH_DIR if (not quick and only is None) else WORK_DIR
    ctx = Context(
        quick=quick,
        repeat=repeat or (1 if quick else 3),
        work=WORK_DIR / ("quick" if quick else "full"),
        log=_log,
    )
    ctx.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": "benchmarks",
        "quick": quick,
        "repeat": ctx.repeat,
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "evalkit_version": __version__,
        "git_revision": git_revision(REPO),
        "machine": machine(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "benchmarks": {},
    }
    t_all = time.perf_counter()
    failed = False
    for name in names:
        module, description = BENCHMARKS[name]
        _log(f"[{name}] {description} ...")
        t0 = time.perf_counter()
        load = os.getloadavg()[0]
        try:
            res = importlib.import_module(module).run(ctx)
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            res = {"title": description, "error": f"{type(exc).__name__}: {exc}", "checks": []}
            failed = True
        res["seconds"] = round(time.perf_counter() - t0, 1)
        res["load_average_1min_before"] = round(load, 2)
        results["benchmarks"][name] = res
        for c in res.get("checks", []):
            judged = not quick or c["unit"] in EXACT_UNITS
            mark = "ok" if c["met"] else ("MISSED" if judged else "missed (quick)")
            _log(f"[{name}]   {c['name']}: {c['measured']} {c['op']} {c['threshold']}: {mark}")
            failed |= judged and not c["met"]
        _log(f"[{name}] done in {res['seconds']} s")
    results["total_seconds"] = round(time.perf_counter() - t_all, 1)
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    from benchmarks.report import render

    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "results.json", results)
    (out / "RESULTS.md").write_text(render(results), encoding="utf-8")
    _log(f"wrote {out / 'RESULTS.md'} and {out / 'results.json'}")
    return 1 if failed else 0

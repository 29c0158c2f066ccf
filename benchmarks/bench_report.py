"""``evalkit run --system reference`` on the bundled data: time spent scoring against time
spent writing reports, today and in evalkit 0.1.0 (matplotlib PNG charts).

Each repetition is a fresh process and a fresh results folder running
``benchmarks/run_phases.py``, which times ``write_run_reports`` + ``write_index``
(reports) and ``build_segments`` + ``score_slices`` (scoring) inside the run.

The 0.1.0 figure is the reference. It is measured live when
``EVALKIT_BENCH_REFERENCE_CHECKOUT`` names a checkout of 0.1.0 (commit 2790570), and
otherwise read from ``benchmarks/results/report_png_0.1.0.json``, recorded on this
machine with ``python -m benchmarks.bench_report --record-reference CHECKOUT``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks.harness import REPO, Context, LoadMeter, check, machine, run_command

DRIVER = Path(__file__).resolve().parent / "run_phases.py"
REFERENCE_FILE = Path(__file__).resolve().parent / "results" / "report_png_0.1.0.json"
REFERENCE_ENV = "EVALKIT_BENCH_REFERENCE_CHECKOUT"
SCHEMA_VERSION = 1

#: Today's report writing must cost at most this share of what 0.1.0's did.
MAX_REPORT_COST_VS_010 = 0.25


def _python() -> list[str]:
    # -P: the driver's folder (benchmarks/) must not shadow anything on sys.path.
    return [sys.executable, "-P"] if sys.version_info >= (3, 11) else [sys.executable]


def measure_checkout(checkout: Path, work: Path, repeat: int, warmup: int = 1) -> dict[str, Any]:
    """Run the driver ``warmup + repeat`` times against ``checkout``; medians of the measured.

    Returns:
        ``runs`` (one dict per measured run) and the medians ``command_s``, ``run_s``,
        ``reports_s``, ``scoring_s``, ``reports_share``, ``scoring_share`` and
        ``matplotlib_imported`` (in any run).
    """
    runs = []
    for i in range(warmup + repeat):
        results = work / f"results-{i}"
        shutil.rmtree(results, ignore_errors=True)
        with LoadMeter() as load:
            res = run_command(
                [*_python(), str(DRIVER), str(results)],
                env={"PYTHONPATH": str(checkout)},
                cwd=checkout,
            )
        shutil.rmtree(results, ignore_errors=True)
        row = json.loads(res.stdout.strip().splitlines()[-1])
        if row["exit_code"] != 0:
            raise RuntimeError(f"evalkit run exited {row['exit_code']} in {checkout}")
        if i >= warmup:
            runs.append(
                {
                    "command_s": round(res.wall, 4),
                    "cpu_s": round(res.cpu, 4),
                    "run_s": round(row["run_s"], 4),
                    "reports_s": round(row["phases_s"]["reports"], 4),
                    "scoring_s": round(row["phases_s"]["scoring"], 4),
                    "matplotlib_imported": row["matplotlib_imported"],
                    "phase_functions": row["phase_functions"],
                    "other_load_cores": round(load.cores, 3),
                }
            )

    def med(key: str) -> float:
        return round(statistics.median(r[key] for r in runs), 4)

    out: dict[str, Any] = {k: med(k) for k in ("command_s", "run_s", "reports_s", "scoring_s")}
    out["reports_share"] = round(statistics.median(r["reports_s"] / r["run_s"] for r in runs), 4)
    out["scoring_share"] = round(statistics.median(r["scoring_s"] / r["run_s"] for r in runs), 4)
    out["matplotlib_imported"] = any(r["matplotlib_imported"] for r in runs)
    out["other_load_cores"] = med("other_load_cores")
    out["runs"] = runs
    return out


def reference(ctx: Context) -> dict[str, Any]:
    """The 0.1.0 figure: measured now if a checkout is named, else the recorded one."""
    checkout = os.environ.get(REFERENCE_ENV)
    if checkout:
        ctx.log(f"  measuring the 0.1.0 reference in {checkout}")
        fig = measure_checkout(Path(checkout), ctx.folder("report-010"), ctx.repeat)
        return {"source": f"measured now in {checkout}", **fig}
    recorded = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    return {"source": f"recorded {recorded['created']} ({REFERENCE_FILE.name})", **recorded}


def run(ctx: Context) -> dict[str, Any]:
    today = measure_checkout(REPO, ctx.folder("report"), ctx.repeat)
    ref = reference(ctx)
    cost = today["reports_s"] / ref["reports_s"]
    return {
        "title": "evalkit run --system reference on the bundled data:"
        " writing reports against scoring, today and in 0.1.0 (matplotlib PNGs)",
        "size": {"runs": ctx.repeat, "data": "bundled digests, default selection"},
        "timings": {
            "today": {k: v for k, v in today.items() if k != "runs"},
            "evalkit_0.1.0": {k: v for k, v in ref.items() if k != "runs"},
        },
        "figures": {
            "reports_s": today["reports_s"],
            "scoring_s": today["scoring_s"],
            "run_s": today["run_s"],
            "reports_share": today["reports_share"],
            "scoring_share": today["scoring_share"],
            "reports_s_0.1.0": ref["reports_s"],
            "scoring_s_0.1.0": ref["scoring_s"],
            "run_s_0.1.0": ref["run_s"],
            "reports_share_0.1.0": ref["reports_share"],
            "report_cost_vs_0.1.0": round(cost, 4),
            "matplotlib_imported": today["matplotlib_imported"],
        },
        "checks": [
            check(
                "matplotlib imported by evalkit run", int(today["matplotlib_imported"]), "<=", 0, ""
            ),
            check(
                "reports time / scoring time",
                today["reports_s"] / today["scoring_s"],
                "<",
                1.0,
            ),
            check(
                "reports time / 0.1.0 reports time (PNG charts)",
                cost,
                "<=",
                MAX_REPORT_COST_VS_010,
            ),
        ],
        "notes": [
            "Each run: a fresh process and results folder; medians over the measured runs.",
            f"0.1.0 reference: {ref['source']}.",
        ],
    }


def record_reference(checkout: Path, repeat: int) -> dict[str, Any]:
    """Measure ``checkout`` (evalkit 0.1.0) and write :data:`REFERENCE_FILE`."""
    from evalkit.io import write_json

    work = REPO / "benchmarks" / "_work" / "report-010"
    work.mkdir(parents=True, exist_ok=True)
    fig = measure_checkout(checkout, work, repeat)
    rec = {
        "schema_version": SCHEMA_VERSION,
        "kind": "report_reference",
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "evalkit_version": "0.1.0",
        "git_revision": "2790570",
        "command": "evalkit run --system reference (bundled data, default selection)",
        "machine": machine(),
        **fig,
    }
    write_json(REFERENCE_FILE, rec)
    return rec


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record-reference", metavar="CHECKOUT", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rec = record_reference(args.record_reference, args.repeat)
    print(json.dumps({k: v for k, v in rec.items() if k not in ("runs", "machine")}, indent=2))

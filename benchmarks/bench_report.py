"""``evalkit run --system reference`` on the bundled data: time spent scoring against time
spent writing reports, today and in evalkit 0.1.0 (matplotlib PNG charts).

Each repetition is a fresh process and a fresh results folder running
``benchmarks/run_phases.py``, which times ``write_run_reports`` + ``write_index``
(reports) and ``build_segments`` + ``score_slices`` (scoring) inside the run.

The 0.1.0 figure (commit 2790570, charts drawn with matplotlib) is the reference. It is
measured in the same session, taking turns with today's code, from the checkout named by
``EVALKIT_BENCH_REFERENCE_CHECKOUT`` or else one extracted from this repository's git
history into ``benchmarks/_work``; without either, the figure recorded in
``benchmarks/results/report_png_0.1.0.json`` (``python -m benchmarks.bench_report
--record-reference CHECKOUT``) stands in.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks.harness import REPO, Context, LoadMeter, check, machine, run_command

DRIVER = Path(__file__).resolve().parent / "run_phases.py"
REFERENCE_FILE = Path(__file__).resolve().parent / "results" / "report_png_0.1.0.json"
REFERENCE_ENV = "EVALKIT_BENCH_REFERENCE_CHECKOUT"
REFERENCE_REVISION = "2790570"
SCHEMA_VERSION = 1

#: Today's report writing must cost at most this share of what 0.1.0's did.
MAX_REPORT_COST_VS_010 = 0.25


def _python() -> list[str]:
    # -P: the driver's folder (benchmarks/) must not shadow anything on sys.path.
    return [sys.executable, "-P"] if sys.version_info >= (3, 11) else [sys.executable]


def _one_run(checkout: Path, results: Path) -> dict[str, Any]:
    """One fresh ``evalkit run`` of ``checkout`` through the driver; its figures."""
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
    return {
        "command_s": round(res.wall, 4),
        "cpu_s": round(res.cpu, 4),
        "run_s": round(row["run_s"], 4),
        "reports_s": round(row["phases_s"]["reports"], 4),
        "scoring_s": round(row["phases_s"]["scoring"], 4),
        "matplotlib_imported": row["matplotlib_imported"],
        "phase_functions": row["phase_functions"],
        "other_load_cores": round(load.cores, 3),
    }


def measure_checkouts(
    checkouts: dict[str, Path], work: Path, repeat: int, warmup: int = 1
) -> dict[str, dict[str, Any]]:
    """Run each checkout ``warmup + repeat`` times, taking turns (so load drift hits all alike).

    Returns:
        Per checkout: ``runs`` (one dict per measured run) and the medians ``command_s``,
        ``run_s``, ``reports_s``, ``scoring_s``, ``reports_share``, ``scoring_share``,
        ``other_load_cores``, and ``matplotlib_imported`` (in any run).
    """
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in checkouts}
    for i in range(warmup + repeat):
        for name, checkout in checkouts.items():
            row = _one_run(checkout, work / f"results-{name}")
            if i >= warmup:
                runs[name].append(row)
    return {name: _summary(rows) for name, rows in runs.items()}


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    def med(values: Any) -> float:
        return round(statistics.median(values), 4)

    out: dict[str, Any] = {
        k: med(r[k] for r in runs)
        for k in ("command_s", "run_s", "reports_s", "scoring_s", "other_load_cores")
    }
    out["reports_share"] = med(r["reports_s"] / r["run_s"] for r in runs)
    out["scoring_share"] = med(r["scoring_s"] / r["run_s"] for r in runs)
    out["matplotlib_imported"] = any(r["matplotlib_imported"] for r in runs)
    out["runs"] = runs
    return out


def reference_checkout(ctx: Context) -> Path | None:
    """A checkout of evalkit 0.1.0: the one named in the environment, else one made from
    this repository's history (None when there is no history to make it from)."""
    named = os.environ.get(REFERENCE_ENV)
    if named:
        return Path(named)
    dest = ctx.work / f"evalkit-{REFERENCE_REVISION}"
    if (dest / "evalkit" / "__init__.py").is_file():
        return dest
    tmp = ctx.work / f".evalkit-{REFERENCE_REVISION}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", REFERENCE_REVISION, "evalkit", "fixtures"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(tmp, filter="data")
        else:  # Python before 3.10.12: the archive is our own history
            tar.extractall(tmp)  # noqa: S202
    tmp.rename(dest)
    return dest


def _timing(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    values = [r[key] for r in rows]
    return {
        "median_s": round(statistics.median(values), 6),
        "runs_s": values,
        "median_cpu_s": round(statistics.median(r["cpu_s"] for r in rows), 6)
        if key == "command_s"
        else None,
        "other_load_cores": round(statistics.median(r["other_load_cores"] for r in rows), 3),
    }


def run(ctx: Context) -> dict[str, Any]:
    import importlib.util

    # 0.1.0 draws its charts with matplotlib, which evalkit no longer installs; a quick
    # run takes the recorded figure
    live = not ctx.quick and importlib.util.find_spec("matplotlib") is not None
    checkout = reference_checkout(ctx) if live else None
    checkouts = {"today": REPO}
    if checkout is not None:
        ctx.log(f"  0.1.0 reference measured alongside, from {checkout}")  # stderr only
        checkouts["0.1.0"] = checkout
    measured = measure_checkouts(checkouts, ctx.folder("report"), ctx.repeat)
    today = measured["today"]
    if checkout is not None:
        shown = checkout.relative_to(REPO) if checkout.is_relative_to(REPO) else checkout.name
        ref = {"source": f"measured alongside, in turns ({shown})", **measured["0.1.0"]}
    else:
        recorded = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
        ref = {"source": f"recorded {recorded['created']} ({REFERENCE_FILE.name})", **recorded}
    cost = today["reports_s"] / ref["reports_s"]
    timings = {}
    for name, fig in (("today", today), ("0.1.0", ref)):
        for key in ("command_s", "reports_s", "scoring_s"):
            timings[f"{name}: {key[:-2]}"] = _timing(fig["runs"], key)
    return {
        "title": "evalkit run --system reference on the bundled data:"
        " writing reports against scoring, today and in 0.1.0 (matplotlib PNGs)",
        "size": {"runs": ctx.repeat, "data": "bundled digests, default selection"},
        "timings": timings,
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
            "scoring_share_0.1.0": ref["scoring_share"],
            "report_cost_vs_0.1.0": round(cost, 4),
            "matplotlib_imported": today["matplotlib_imported"],
            "matplotlib_imported_0.1.0": ref["matplotlib_imported"],
        },
        "checks": [
            check(
                "matplotlib imported by evalkit run",
                int(today["matplotlib_imported"]),
                "<=",
                0,
                "",
            ),
            check("reports time / scoring time", today["reports_s"] / today["scoring_s"], "<", 1.0),
            check(
                "reports time / 0.1.0 reports time (PNG charts)",
                cost,
                "<=",
                MAX_REPORT_COST_VS_010,
            ),
        ],
        "notes": [
            "Each run: a fresh process and results folder; medians over the measured runs."
            ' run = `main(["run", ...])` in the process; reports = write_run_reports +'
            " write_index; scoring = build_segments + score_slices; command = the whole"
            " process, start-up included.",
            f"0.1.0 reference: {ref['source']}.",
        ],
    }


def record_reference(checkout: Path, repeat: int) -> dict[str, Any]:
    """Measure ``checkout`` (evalkit 0.1.0) and write :data:`REFERENCE_FILE`."""
    from evalkit.io import write_json

    work = REPO / "benchmarks" / "_work" / "report-010"
    work.mkdir(parents=True, exist_ok=True)
    fig = measure_checkouts({"0.1.0": checkout}, work, repeat)["0.1.0"]
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

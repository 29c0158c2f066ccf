"""``evalkit score`` on 10,000 and 100,000 Korean segments: time and peak memory.

The command as a user runs it (default ``--jobs``: a process per CPU above 20,000
segments; 1,000-resample CIs), with BLEU and chrF. Memory is the peak of the *sum* of
resident memory over the process tree (the command and its pool workers), sampled
every 50 ms, beside the kernel's peak of the largest single process.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from benchmarks import corpora
from benchmarks.harness import Context, LoadMeter, Timing, check, run_command

METRICS = ("bleu", "chrf")


def _command(files: dict[str, Any]) -> list[str]:
    argv = [sys.executable, "-m", "evalkit", "score", "-r", str(files["ref"])]
    return argv + ["-i", str(files["sys1"]), "-l", "ko", "-m", *METRICS, "--format", "json"]


def run(ctx: Context) -> dict[str, Any]:
    small, large = ctx.size(10_000, 200), ctx.size(100_000, 2_000)
    folder = ctx.folder("scale")
    runs: dict[int, list[Any]] = {}
    timings: dict[int, Timing] = {}
    reps = {small: ctx.repeat, large: 1 if not ctx.quick else ctx.repeat}
    for n in (small, large):
        files = corpora.write_files(folder, n, lang="ko", systems=1)
        argv = _command(files)
        if n == small:  # warm-up on a tenth of the small corpus: file caches, compiled modules
            run_command(_command(corpora.write_files(folder, max(small // 10, 20), systems=1)))
        timings[n] = Timing()
        runs[n] = []
        for _ in range(reps[n]):
            with LoadMeter() as load:
                res = run_command(argv, sample_memory=True)
            timings[n].wall.append(res.wall)
            timings[n].cpu.append(res.cpu)
            timings[n].other_load.append(load.cores)
            runs[n].append(res)
    peak_tree = max(r.tree_peak_rss_kb for r in runs[large]) / 2**20
    peak_proc = max(r.maxrss_kb for r in runs[large]) / 2**20
    ratio = timings[large].median / timings[small].median
    report = json.loads(runs[large][-1].stdout)
    score = {
        m: round(report["systems"][next(iter(report["systems"]))]["scores"][m]["score"], 4)
        for m in METRICS
    }
    return {
        "title": f"evalkit score on {small:,} and {large:,} Korean segments",
        "size": {"small": small, "large": large, "metrics": list(METRICS), "lang": "ko"},
        "timings": {f"n_{n}": timings[n].to_dict() for n in (small, large)},
        "figures": {
            "time_ratio": round(ratio, 3),
            "size_ratio": large / small,
            "peak_memory_tree_gb": round(peak_tree, 3),
            "peak_memory_largest_process_gb": round(peak_proc, 3),
            "peak_memory_tree_gb_small": round(
                max(r.tree_peak_rss_kb for r in runs[small]) / 2**20, 3
            ),
            "seconds_per_1000_segments_large": round(timings[large].median / large * 1000, 3),
            "scores_large": score,
        },
        "checks": [
            check(f"time({large:,}) / time({small:,})", ratio, "<=", 11),
            check(f"peak memory at {large:,} segments (process tree)", peak_tree, "<", 1.5, "GB"),
        ],
        "notes": [
            f"{reps[large]} run(s) at {large:,} segments, {reps[small]} at {small:,}"
            " (medians); each run is a fresh process.",
            "TER is left out: even batched, its shift search costs about 0.1 s per Korean"
            " digest segment split into morphemes (see costs), hours for 100,000.",
        ],
    }

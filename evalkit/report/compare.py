"""Comparing runs of several systems on the same examples.

Slice scores are the ones in each run.json; significance is a paired bootstrap
(:func:`evalkit.stats.paired_bootstrap`) over the segment statistics stored in
segments.jsonl, with the same resampled segments for every system. No text is
tokenized or scored again, so comparing K runs costs K sums of statistics per resample.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evalkit.errors import ConfigError, IncomparableError
from evalkit.runfiles import ALL_WEEKS, LoadedRun, load_run

COMPARISON_MD = "comparison.md"
COMPARISON_HTML = "comparison.html"
COMPARISON_JSON = "comparison.json"
#: A difference is marked significant below this paired-bootstrap p-value.
ALPHA = 0.05
#: Segments listed per compared run.
TOP_SEGMENTS = 10


def _example(ids: Sequence[str]) -> str:
    return f", e.g. {ids[0]!r}" if ids else ""


def check_comparable(runs: Sequence[LoadedRun]) -> None:
    """Raise if any run differs from the first in dataset or example set.

    Raises:
        IncomparableError: one line naming both runs and what differs.
    """
    base = runs[0]
    base_fp = (base.meta.get("dataset") or {}).get("fingerprint")
    base_ids = {str(s.get("id")) for s in base.segments}
    for run in runs[1:]:
        names = f"runs {base.run_id!r} and {run.run_id!r} are not comparable"
        fp = (run.meta.get("dataset") or {}).get("fingerprint")
        if fp != base_fp:
            raise IncomparableError(f"{names}: dataset fingerprints differ ({base_fp} vs {fp})")
        ids = {str(s.get("id")) for s in run.segments}
        if ids != base_ids:
            only_a, only_b = sorted(base_ids - ids), sorted(ids - base_ids)
            raise IncomparableError(
                f"{names}: example sets differ ({len(only_a)} only in the first{_example(only_a)};"
                f" {len(only_b)} only in the second{_example(only_b)})"
            )
        ea = (base.meta.get("examples") or {}).get("fingerprint")
        eb = (run.meta.get("examples") or {}).get("fingerprint")
        if ea and eb and ea != eb:
            raise IncomparableError(f"{names}: example fingerprints differ ({ea} vs {eb})")


def _signature_warnings(runs: Sequence[LoadedRun], metrics: Sequence[str]) -> list[str]:
    out = []
    base = runs[0].meta.get("metrics") or {}
    for run in runs[1:]:
        other = run.meta.get("metrics") or {}
        for m in metrics:
            a, b = base.get(m) or {}, other.get(m) or {}
            for lang in sorted(set(a) & set(b)):
                if a[lang] != b[lang]:
                    out.append(
                        f"{m} ({lang}) signatures differ: {runs[0].run_id}: {a[lang]};"
                        f" {run.run_id}: {b[lang]}"
                    )
    return out


def build(
    runs: Sequence[LoadedRun], *, n_resamples: int = 1000, seed: int | None = None
) -> dict[str, Any]:
    """The comparison as a JSON-ready dict (what comparison.json holds)."""
    import numpy as np

    from evalkit.report import fmt
    from evalkit.report.model import RunView, seg_pair, segment_metric, slice_sort_key
    from evalkit.scorers import get_scorer, recorded_options
    from evalkit.slices import group_by_slice
    from evalkit.stats import paired_bootstrap

    if seed is None:
        seed = int((runs[0].meta.get("bootstrap") or {}).get("seed", 12345))
    views = [RunView(r) for r in runs]
    metrics = [m for m in views[0].metrics if all(m in v.metrics for v in views[1:])]
    by_id = [{str(s.get("id")): s for s in r.segments} for r in runs]
    base_segments = runs[0].segments
    rows = []
    for key, idx in group_by_slice(base_segments).items():
        week, task, pair, fld = key
        ids = [str(base_segments[i].get("id")) for i in idx]
        tgt = pair.split("-")[1]
        for metric in metrics:
            entries = [v.score(week, (task, pair, fld), metric) for v in views]
            if entries[0] is None:
                continue
            stats = [
                [(seg_map[i].get("stats") or {}).get(metric) for i in ids] for seg_map in by_id
            ]
            keep = [j for j in range(len(ids)) if all(s[j] is not None for s in stats)]
            scorer = get_scorer(metric, lang=tgt, **recorded_options(runs[0].meta, metric))
            base_stats = np.asarray([stats[0][j] for j in keep], dtype=np.float64)
            row: dict[str, Any] = {
                "week": week,
                "task": task,
                "pair": pair,
                "field": fld,
                "metric": metric,
                "n": len(keep),
                "scores": [e.get("score") if e else None for e in entries],
                "ci95": [e.get("ci95") if e else None for e in entries],
                "deltas": [None],
                "p_values": [None],
                "significant": [False],
            }
            for k in range(1, len(runs)):
                e = entries[k]
                delta = None if e is None else float(e["score"]) - float(entries[0]["score"])
                p = None
                if keep and e is not None:
                    cand_stats = np.asarray([stats[k][j] for j in keep], dtype=np.float64)
                    if cand_stats.shape == base_stats.shape:
                        result = paired_bootstrap(
                            scorer, base_stats, cand_stats, n_resamples=n_resamples, seed=seed
                        )
                        p = float(result.p_value)
                row["deltas"].append(delta)
                row["p_values"].append(p)
                row["significant"].append(p is not None and p < ALPHA and delta != 0)
            rows.append(row)

    rows.sort(
        key=lambda r: (
            r["week"] == ALL_WEEKS,
            r["week"],
            slice_sort_key((r["task"], r["pair"], r["field"])),
            metrics.index(r["metric"]),
        )
    )
    seg_metric = segment_metric(base_segments, metrics)
    differing = []
    if seg_metric is not None:
        for k in range(1, len(runs)):
            found = []
            for seg in base_segments:
                sid = str(seg.get("id"))
                other = by_id[k].get(sid) or {}
                a = (seg.get("scores") or {}).get(seg_metric)
                b = (other.get("scores") or {}).get(seg_metric)
                if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a != b:
                    found.append((abs(b - a), sid, seg, other, float(a), float(b)))
            found.sort(key=lambda t: (-t[0], t[1]))
            differing.append(
                {
                    "run": runs[k].run_id,
                    "metric": seg_metric,
                    "higher_is_better": fmt.higher_is_better(seg_metric),
                    "segments": [
                        {
                            "id": sid,
                            "week": seg.get("week"),
                            "task": seg.get("task"),
                            "pair": seg_pair(seg),
                            "field": seg.get("field"),
                            "source": seg.get("source"),
                            "reference": seg.get("reference"),
                            "outputs": [seg.get("output"), other.get("output")],
                            "scores": [a, b],
                            "delta": b - a,
                        }
                        for _, sid, seg, other, a, b in found[:TOP_SEGMENTS]
                    ],
                }
            )

    weeks = sorted({r["week"] for r in rows if r["week"] != ALL_WEEKS})
    return {
        "schema_version": 1,
        "runs": [
            {
                "run_id": r.run_id,
                "path": str(r.path),
                "system": r.meta.get("system"),
                "created": r.meta.get("created"),
            }
            for r in runs
        ],
        "dataset": {
            "fingerprint": (runs[0].meta.get("dataset") or {}).get("fingerprint"),
            "weeks": {
                w: (runs[0].meta.get("dataset") or {}).get("weeks", {}).get(w) for w in weeks
            },
        },
        "examples": {"count": len(base_segments)},
        "bootstrap": {
            "n_resamples": n_resamples,
            "seed": seed,
            "alpha": ALPHA,
            "test": "paired bootstrap",
        },
        "metrics": metrics,
        "higher_is_better": {m: fmt.higher_is_better(m) for m in metrics},
        "digits": fmt.digits_by_metric(s for v in views for s in v.run.scores()),
        "weeks": weeks,
        "rows": rows,
        "differing_segments": differing,
        "warnings": _signature_warnings(runs, metrics),
    }


def write(
    run_dirs: Sequence[Path], out_dir: Path, *, n_resamples: int = 1000, seed: int | None = None
) -> list[Path]:
    """Load, check and compare runs; write comparison.{json,md,html} into ``out_dir``."""
    from evalkit.io import atomic_write_text, confine, make_dirs, write_json
    from evalkit.report import compare_render

    if len(run_dirs) < 2:
        raise ConfigError("a comparison needs at least two runs")
    runs = [load_run(d) for d in run_dirs]
    check_comparable(runs)
    data = build(runs, n_resamples=n_resamples, seed=seed)
    with confine(out_dir):
        make_dirs(out_dir)
        write_json(out_dir / COMPARISON_JSON, data)
        atomic_write_text(out_dir / COMPARISON_MD, compare_render.markdown(data))
        atomic_write_text(out_dir / COMPARISON_HTML, compare_render.html(data))
    return [out_dir / COMPARISON_MD, out_dir / COMPARISON_HTML, out_dir / COMPARISON_JSON]


def default_out_dir(run_dirs: Sequence[Path]) -> Path:
    """``results/comparisons/<A>_vs_<B>...`` beside ``results/runs``, else beside the first run."""
    first = Path(run_dirs[0]).resolve()
    base = first.parent.parent if first.parent.name == "runs" else first.parent
    name = "_vs_".join(Path(d).resolve().name for d in run_dirs)
    return base / "comparisons" / name[:200]

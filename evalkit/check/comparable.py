"""Whether a run can be compared with a baseline, and if not, exactly why.

They are comparable when they score the same examples with the same metric signatures
on the same dataset. The one tolerated difference is new weeks: the dataset fingerprint
may then differ, provided every baseline example is in the run with identical source
and reference text (checked against the baseline's per-example text hashes).
"""

from __future__ import annotations

from collections.abc import Sequence

from evalkit.baseline import Baseline, segment_week, slice_key, text_hash
from evalkit.errors import DataError
from evalkit.runfiles import LoadedRun


def _first(ids: Sequence[str]) -> str:
    return f"first: {ids[0]}" if ids else ""


def differences(baseline: Baseline, run: LoadedRun) -> tuple[list[str], list[str], list[str]]:
    """What keeps ``run`` from being compared with ``baseline``.

    Returns:
        ``(reasons, notes, new_weeks)``: reasons are the differences that make the two
        incomparable (empty when they can be compared).
    """
    reasons: list[str] = []
    notes: list[str] = []
    cand = {str(s["id"]): s for s in run.segments if "id" in s}
    base_ids = baseline.ids
    base_set = set(base_ids)
    base_weeks = baseline.weeks

    missing = [i for i in base_ids if i not in cand]
    extra = sorted(i for i in cand if i not in base_set)
    new_weeks = sorted({segment_week(cand[i]) for i in extra} - base_weeks)
    extra_old = [i for i in extra if segment_week(cand[i]) in base_weeks]
    if missing or extra_old:
        parts = []
        if missing:
            parts.append(
                f"{len(missing)} of the baseline's {len(base_ids)} examples are missing "
                f"from the run ({_first(missing)})"
            )
        if extra_old:
            parts.append(
                f"{len(extra_old)} examples the baseline lacks are in weeks it covers "
                f"({_first(extra_old)})"
            )
        if run.meta.get("status", "complete") != "complete":
            parts.append(f"the run is {run.meta.get('status')!r}")
        reasons.append("example set differs: " + ", ".join(parts))

    run_metrics = run.meta.get("metrics") or {}
    for metric, sigs in sorted(baseline.metrics.items()):
        if metric not in run_metrics:
            reasons.append(f"metric {metric!r} is in the baseline but not in the run")
            continue
        for lang, sig in sorted(sigs.items()):
            other = run_metrics[metric].get(lang)
            if other is not None and other != sig:
                reasons.append(
                    f"metric signature differs for {metric} ({lang}): "
                    f"baseline {sig!r}, run {other!r}"
                )
    extra_metrics = sorted(set(run_metrics) - set(baseline.metrics))
    if extra_metrics:
        notes.append(f"not in the baseline, not checked: {', '.join(extra_metrics)}")

    changed, moved, no_stats = [], [], []
    keys = baseline.slice_keys()
    stats = baseline.data["stats"]
    for i, (ex_id, digest) in enumerate(zip(base_ids, baseline.text_hashes(), strict=True)):
        seg = cand.get(ex_id)
        if seg is None:
            continue
        try:
            if text_hash(seg["source"], seg["reference"]) != digest:
                changed.append(ex_id)
            if slice_key(seg) != keys[i]:
                moved.append(ex_id)
        except (KeyError, TypeError) as exc:
            raise DataError(f"segment {ex_id!r} lacks {exc}", path=run.path) from exc
        seg_stats = seg.get("stats") or {}
        for metric, rows in stats.items():
            row = seg_stats.get(metric)
            if rows[i] is not None and (row is None or len(row) != len(rows[i])):
                no_stats.append(f"{metric} for {ex_id}")
    if no_stats:
        reasons.append(
            f"the run lacks comparable statistics for {len(no_stats)} baseline "
            f"segments (first: {no_stats[0]})"
        )
    if moved:
        reasons.append(f"{len(moved)} examples changed week, task, pair or field ({_first(moved)})")

    base_fp = baseline.dataset_fingerprint
    run_fp = (run.meta.get("dataset") or {}).get("fingerprint")
    if base_fp != run_fp:
        what = f"dataset fingerprint differs (baseline {base_fp}, run {run_fp})"
        if changed:
            reasons.append(
                f"{what}: {len(changed)} examples have a different source or "
                f"reference text ({_first(changed)})"
            )
        elif new_weeks and not reasons:
            notes.append(f"{what} by new weeks only; every baseline example is unchanged")
        elif not new_weeks:
            reasons.append(
                f"{what}; the scored examples are unchanged, so other dataset fields "
                "changed: save the baseline again"
            )
        else:
            reasons.append(what)
    if new_weeks:
        notes.append(
            f"new weeks not in the baseline, reported but not gated: {', '.join(new_weeks)}"
        )
    return reasons, notes, new_weeks

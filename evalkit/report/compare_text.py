"""The terminal summary of a comparison: what improved or regressed significantly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evalkit.report import fmt
from evalkit.report.compare_render import column_better, column_digits, metric_label
from evalkit.runfiles import ALL_WEEKS


def text_summary(data: Mapping[str, Any], *, limit: int = 8) -> str:
    """What improved or regressed significantly, for the terminal.

    One line per compared run with its counts over every slice, then the all-weeks
    slices that changed significantly (at most ``limit`` per run), better first.
    Text from the runs is stripped of control sequences.
    """
    t = fmt.terminal_text
    ids = [r["run_id"] for r in data["runs"]]
    d = column_digits(data)
    alpha = data["bootstrap"]["alpha"]
    lines = [
        f"{data['bootstrap']['test']}, {data['bootstrap']['n_resamples']} samples, "
        f"seed {data['bootstrap']['seed']}; significant: p < {alpha}"
    ]
    for w in data.get("warnings") or []:
        lines.append(f"note: {t(w)}")
    for k in range(1, len(ids)):
        sig = [r for r in data["rows"] if r["significant"][k]]
        better = [r for r in sig if (r.get("changes") or [0] * (k + 1))[k] > 0]
        worse = [r for r in sig if (r.get("changes") or [0] * (k + 1))[k] < 0]
        lines.append(
            f"{t(ids[k])} vs {t(ids[0])}: {len(better)} slice(s) significantly better, "
            f"{len(worse)} significantly worse, {len(data['rows']) - len(sig)} not "
            "significantly different"
        )
        totals = [r for r in better + worse if r["week"] == ALL_WEEKS]
        for r in totals[:limit]:
            word = "better" if r["changes"][k] > 0 else "worse "
            label = t(metric_label(data, r["metric"]))
            lines.append(
                f"  {word} {t(fmt.slice_label(r['task'], r['pair'], r['field']))} "
                f"{label} ({column_better(data, r['metric'])} is better): "
                f"{fmt.num(r['scores'][0], d)} -> {fmt.num(r['scores'][k], d)} "
                f"({fmt.signed(r['deltas'][k], d)}, p={r['p_values'][k]:.4f})"
            )
        if len(totals) > limit:
            lines.append(f"  and {len(totals) - limit} more all-weeks slice(s)")
    return "\n".join(lines) + "\n"

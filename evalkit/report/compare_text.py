"""The terminal summary of a comparison: what improved or regressed significantly."""

from __future__ import annotations

from evalkit.report import fmt
from evalkit.report.comparison import Comparison
from evalkit.runfiles import ALL_WEEKS


def text_summary(data: Comparison, *, limit: int = 8) -> str:
    """What improved or regressed significantly, for the terminal.

    One line per compared run with its counts over every slice, then the all-weeks
    slices that changed significantly (at most ``limit`` per run), better first.
    Text from the runs is stripped of control sequences.
    """
    t = fmt.terminal_text
    ids = data.run_ids
    d = data.digits
    lines = [
        f"{data.test_name}, {data.test.samples} samples, "
        f"seed {data.test.seed}; significant: p < {data.test.alpha}"
    ]
    for w in data.warnings:
        lines.append(f"note: {t(w)}")
    for k in range(1, len(ids)):
        sig = [r for r in data.rows if r.diffs[k - 1].significant]
        better = [r for r in sig if r.diffs[k - 1].change > 0]
        worse = [r for r in sig if r.diffs[k - 1].change < 0]
        lines.append(
            f"{t(ids[k])} vs {t(ids[0])}: {len(better)} slice(s) significantly better, "
            f"{len(worse)} significantly worse, {len(data.rows) - len(sig)} not "
            "significantly different"
        )
        totals = [r for r in better + worse if r.week == ALL_WEEKS]
        for r in totals[:limit]:
            diff = r.diffs[k - 1]
            facts = data.facts(r.metric)
            word = "better" if diff.change > 0 else "worse "
            lines.append(
                f"  {word} {t(fmt.slice_label(r.task, r.pair, r.field))} "
                f"{t(facts.label)} ({facts.better} is better): "
                f"{fmt.num(r.scores[0], d)} -> {fmt.num(r.scores[k], d)} "
                f"({fmt.signed(diff.delta, d)}, p={diff.p_value:.4f})"
            )
        if len(totals) > limit:
            lines.append(f"  and {len(totals) - limit} more all-weeks slice(s)")
    return "\n".join(lines) + "\n"
